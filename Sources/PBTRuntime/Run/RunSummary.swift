import Foundation
import PBT
import PBTStore

/// The outcome of an experiment, read from its store: the best member, its schedule, the
/// number of exploits, and every member's final state.
public struct RunSummary: Sendable, Codable {
    /// One member's final state.
    public struct Member: Sendable, Codable {
        /// The slot.
        public var member: Int
        /// Its step.
        public var step: Int
        /// Its status.
        public var status: MemberStatus
        /// Its latest score, as reported.
        public var score: Double?
        /// Its hyperparameters now.
        public var hyperparameters: Hyperparameters
        /// How many times it copied another member.
        public var exploits: Int
        /// How many times its training failed (a member past its workload's `max_failures`
        /// is `failed` and left out of the ranking).
        public var failures: Int
    }

    /// The best member's result.
    public struct Best: Sendable, Codable {
        /// The slot.
        public var member: Int
        /// Its latest score, as reported.
        public var score: Double
        /// Its hyperparameters now.
        public var hyperparameters: Hyperparameters
        /// The schedule that produced its weights.
        public var schedule: [ScheduleEntry]
        /// Its score on held-out test data, for workloads that have some (`digits`).
        public var testScore: Double?
    }

    /// The experiment's name.
    public var experiment: String
    /// The best member (nil before any score).
    public var best: Best?
    /// The number of exploits (copies of another member).
    public var exploits: Int
    /// The number of explore-only changes.
    public var explores: Int
    /// Every member, by slot.
    public var members: [Member]
    /// What ended the experiment before its budget (a `stop:` rule); nil when none did.
    public var stop: StopRecord?

    /// Reads the summary of `experiment` from `store`.
    /// - Parameters:
    ///   - experiment: the experiment's name.
    ///   - store: the store holding it.
    ///   - mode: whether higher or lower scores are better.
    public init(experiment: String, store: any PopulationStore, mode: ScoreMode) async throws {
        let records = try await store.members(of: experiment)
        let events = try await store.events(of: experiment)
        var exploitsByMember = [Int](repeating: 0, count: records.count)
        for event in events where event.isExploit { exploitsByMember[event.member] += 1 }
        self.experiment = experiment
        stop = try await store.experiment(named: experiment)?.stop
        exploits = events.filter(\.isExploit).count
        explores = events.count - exploits
        members = records.map {
            Member(
                member: $0.slot, step: $0.step, status: $0.status, score: $0.score,
                hyperparameters: $0.hyperparameters, exploits: exploitsByMember[$0.slot], failures: $0.failures)
        }
        if let top = records.best(by: mode) {
            let lineage = Lineage(initial: records.map(\.initialHyperparameters), events: events)
            best = Best(
                member: top.slot, score: top.score!, hyperparameters: top.hyperparameters,
                schedule: lineage.schedule(of: top.slot))
        }
    }

    /// The summary as one JSON object.
    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}
