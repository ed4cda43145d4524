/// One stretch of a schedule: from `step` on, the weights were trained with `hyperparameters`
/// by `member`.
public struct ScheduleEntry: Hashable, Sendable, Codable {
    /// The first step trained with these hyperparameters.
    public var step: Int
    /// The member that trained these steps.
    public var member: Int
    /// The hyperparameters in force.
    public var hyperparameters: Hyperparameters

    /// Creates an entry.
    public init(step: Int, member: Int, hyperparameters: Hyperparameters) {
        self.step = step
        self.member = member
        self.hyperparameters = hyperparameters
    }
}

/// Derives schedules from an experiment's recorded history.
public struct Lineage: Sendable {
    private let initial: [Hyperparameters]
    private let eventsByMember: [[ExploitEvent]]

    /// Creates a lineage from every member's initial hyperparameters and the event log.
    /// - Parameters:
    ///   - initial: the initial hyperparameters, indexed by slot.
    ///   - events: the events in any order (they are ordered by `sequence`).
    public init(initial: [Hyperparameters], events: [ExploitEvent]) {
        self.initial = initial
        var byMember = [[ExploitEvent]](repeating: [], count: initial.count)
        for event in events.sorted(by: { $0.sequence < $1.sequence }) where event.member < initial.count {
            byMember[event.member].append(event)
        }
        eventsByMember = byMember
    }

    /// The hyperparameter schedule that produced `member`'s current weights: its own history
    /// joined with its donors' histories back through the chain of events.
    ///
    /// The first entry is at step 0 and names the member whose initial weights the chain
    /// started from (the seed a replay must use).
    /// - Parameters:
    ///   - member: the member's slot.
    ///   - sequence: consider only events with a smaller sequence number (default: all).
    /// - Complexity: O(E) for E events on the chain.
    public func schedule(of member: Int, before sequence: Int = .max) -> [ScheduleEntry] {
        var tail: [ScheduleEntry] = []
        var current = member, limit = sequence
        while true {
            guard let event = eventsByMember[current].last(where: { $0.sequence < limit }) else {
                tail.append(ScheduleEntry(step: 0, member: current, hyperparameters: initial[current]))
                break
            }
            tail.append(ScheduleEntry(step: event.donorStep, member: event.member, hyperparameters: event.after))
            current = event.donor
            limit = event.sequence
        }
        // Oldest first; of several entries at one step the latest (closest to the member) wins.
        var entries: [ScheduleEntry] = []
        for entry in tail.reversed() {
            while let last = entries.last, last.step >= entry.step { entries.removeLast() }
            entries.append(entry)
        }
        return entries
    }

    /// The donor chain of `member`'s weights: each exploit on the chain, newest first.
    public func ancestry(of member: Int) -> [ExploitEvent] {
        var chain: [ExploitEvent] = []
        var current = member, limit = Int.max
        while let event = eventsByMember[current].last(where: { $0.sequence < limit }) {
            if event.isExploit { chain.append(event) }
            current = event.donor
            limit = event.sequence
        }
        return chain
    }
}
