/// A recorded hyperparameter schedule to train one member along, instead of deciding.
///
/// A scheduler with a replay schedule makes no exploit or explore choice of its own: at each
/// ready step where the schedule changes the hyperparameters it returns
/// `.explore(hyperparameters:mutations:)` with the recorded values, elsewhere `.continue`, and
/// it hands the member the trainable seed of the state the schedule started from. The worker
/// loop runs unchanged, so the replayed member is trained, evaluated and saved at the same
/// ready points as the original weights were.
public struct ReplaySchedule: Hashable, Sendable, Codable {
    /// The schedule, oldest first; the first entry (step 0) holds the initial hyperparameters.
    public var entries: [ScheduleEntry]
    /// The seed of the trainable the schedule's weights started from.
    public var trainableSeed: UInt64

    /// Creates a replay schedule.
    /// - Parameters:
    ///   - entries: from `Lineage.schedule(of:)`, oldest first.
    ///   - trainableSeed: `Scheduler.trainableSeed(member:)` of the schedule's first member in
    ///     the original experiment.
    public init(entries: [ScheduleEntry], trainableSeed: UInt64) {
        self.entries = entries
        self.trainableSeed = trainableSeed
    }

    /// The hyperparameters the member starts with.
    public var initialHyperparameters: Hyperparameters? { entries.first?.hyperparameters }

    /// The decision at a ready point: the recorded hyperparameters from `step` on, when they
    /// differ from `current`; otherwise `.continue`.
    /// - Complexity: O(log E) for E entries.
    public func decision(at step: Int, current: Hyperparameters) -> Decision {
        var low = 0, high = entries.count
        while low < high {
            let middle = (low + high) / 2
            if entries[middle].step < step { low = middle + 1 } else { high = middle }
        }
        guard low < entries.count, entries[low].step == step, entries[low].hyperparameters != current else {
            return .continue
        }
        return .explore(hyperparameters: entries[low].hyperparameters, mutations: [])
    }
}
