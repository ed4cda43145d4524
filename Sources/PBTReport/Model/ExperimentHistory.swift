import Foundation
import PBT
import PBTStore

/// Everything recorded about one experiment, read from its store in one go: the record, its
/// settings, every member, every score and every event.
///
/// Reports and dashboard pages are pure functions of a history, so one history can be
/// rendered many times (and cached while nothing changes).
public struct ExperimentHistory: Sendable {
    /// The experiment.
    public var experiment: ExperimentRecord
    /// What the report reads from its configuration.
    public var settings: ExperimentSettings
    /// Every member, indexed by slot.
    public var members: [MemberRecord]
    /// Every score, in the order recorded.
    public var scores: [ScoreRecord]
    /// Every event, by sequence.
    public var events: [ExploitEvent]

    /// Creates a history from records already read.
    public init(
        experiment: ExperimentRecord, members: [MemberRecord], scores: [ScoreRecord], events: [ExploitEvent]
    ) {
        self.experiment = experiment
        self.settings = ExperimentSettings(configuration: experiment.configuration)
        self.members = members
        self.scores = scores
        self.events = events
    }

    /// Reads the history of `name` from `store`.
    /// - Throws: `ReportError.experimentNotFound` naming the experiments the store holds.
    public static func load(_ name: String, from store: any PopulationStore) async throws -> ExperimentHistory {
        guard let record = try await store.experiment(named: name) else {
            let names = try await store.experiments().map(\.name)
            throw ReportError(
                .experimentNotFound,
                "no experiment named '\(name)' in the store; it holds: "
                    + (names.isEmpty ? "none" : names.joined(separator: ", ")))
        }
        async let members = store.members(of: name)
        async let scores = store.scores(of: name)
        async let events = store.events(of: name)
        return ExperimentHistory(
            experiment: record, members: try await members, scores: try await scores, events: try await events)
    }

    /// The score oriented so that higher is better.
    public func fitness(_ score: Double) -> Double { settings.mode.fitness(score) }

    /// The member with the best latest score (failed members excluded), or nil before any score.
    public var best: MemberRecord? {
        members.filter { $0.score.map { !$0.isNaN } ?? false && $0.status != .failed }
            .max { fitness($0.score!) < fitness($1.score!) }
    }

    /// Members ordered best first: by latest score, members without one last, then by slot.
    public var ranking: [MemberRecord] {
        members.sorted { a, b in
            switch (a.score, b.score) {
            case let (x?, y?) where fitness(x) != fitness(y): return fitness(x) > fitness(y)
            case (.some, nil): return true
            case (nil, .some): return false
            default: return a.slot < b.slot
            }
        }
    }

    /// How many times each member copied another, indexed by slot.
    public var exploitCounts: [Int] {
        var counts = [Int](repeating: 0, count: members.count)
        for event in events where event.isExploit && event.member < counts.count { counts[event.member] += 1 }
        return counts
    }

    /// The schedule that produced `member`'s current weights (see `Lineage.schedule(of:)`).
    public func schedule(of member: Int) -> [ScheduleEntry] {
        Lineage(initial: members.map(\.initialHyperparameters), events: events).schedule(of: member)
    }

    /// The hyperparameter names seen in the configuration or in any member, sorted.
    public var hyperparameterNames: [String] {
        var names = Set(settings.domains.keys)
        for member in members { names.formUnion(member.hyperparameters.names) }
        return names.sorted()
    }

    /// `hyperparameterNames` without the constants: the ones a schedule can change.
    public var tunedHyperparameterNames: [String] {
        hyperparameterNames.filter {
            if case .constant = settings.domains[$0] { return false }
            return true
        }
    }
}
