import Foundation
import PBT
import PBTStore

/// Everything `pbt export` writes: members, every score (with its metrics) and every event
/// (with mutations), in the order recorded, with snake_case keys for Python. Scores and events
/// carry `time`, when the store recorded them (seconds since 1970, UTC; null in stores written
/// before swift-pbt kept it); apart from those times and no worker names, two runs with the
/// same seed export identical scores, events and members.
struct ExportDocument: Codable {
    /// One member's current state.
    struct Member: Codable, Equatable {
        var member: Int
        var status: MemberStatus
        var step: Int
        var score: Double?
        var hyperparameters: Hyperparameters
        var initialHyperparameters: Hyperparameters

        enum CodingKeys: String, CodingKey {
            case member, status, step, score, hyperparameters
            case initialHyperparameters = "initial_hyperparameters"
        }
    }

    /// One recorded score.
    struct Score: Codable, Equatable {
        var member: Int
        var step: Int
        var score: Double
        /// The hyperparameters in force while training up to `step`.
        var hyperparameters: Hyperparameters
        /// The other numbers reported with the score.
        var metrics: Metrics
        /// When it was recorded: seconds since 1970, or nil.
        var time: Double?
    }

    /// What exploration did to one hyperparameter.
    struct Change: Codable, Equatable {
        var name: String
        /// `scaled`, `shifted`, `resampled`, `unchanged` or `suggested` (by PB2).
        var operation: String
        /// The factor of `scaled`, or the index shift of `shifted`.
        var by: Double?
        var clamped: Bool
    }

    /// One exploit (`donor != member`) or explore-only change.
    struct Event: Codable, Equatable {
        var sequence: Int
        /// `exploit` or `explore`.
        var kind: String
        var member: Int
        var step: Int
        var donor: Int
        var donorStep: Int
        var before: Hyperparameters
        var after: Hyperparameters
        var mutations: [Change]
        /// Why PB2 chose `after` (its predicted rate, uncertainty and kernel), when it did.
        var explanation: String?
        /// When it was recorded: seconds since 1970, or nil.
        var time: Double?

        enum CodingKeys: String, CodingKey {
            case sequence, kind, member, step, donor, before, after, mutations, explanation, time
            case donorStep = "donor_step"
        }
    }

    /// What a `stop:` rule recorded when it ended the experiment early.
    struct Stop: Codable, Equatable {
        /// `score`, `seconds` or `plateau`.
        var rule: String
        /// One line for people, e.g. `member 3 reached the target score 0.95 at step 400 (0.953)`.
        var detail: String
        /// When it was recorded: seconds since 1970.
        var time: Double
    }

    var experiment: String
    var mode: ScoreMode
    /// What stopped the experiment before its budget; absent when nothing did.
    var stop: Stop?
    /// The workers' run time in seconds, summed over resumes; measured (and present) only with
    /// a `stop: seconds` rule.
    var runSeconds: Double?
    /// The hyperparameter names, sorted: the CSV's columns.
    var hyperparameterNames: [String]
    /// The hyperparameters whose domain is `int`, sorted: the CSV writes their values as
    /// integers, and a JSON reader (`pbt_client.read`) types them as integers.
    var integerHyperparameters: [String] = []
    /// Every metric name that any score reported, sorted: the CSV's last columns.
    var metricNames: [String]
    var members: [Member]
    var scores: [Score]
    var events: [Event]

    enum CodingKeys: String, CodingKey {
        case experiment, mode, stop, members, scores, events
        case runSeconds = "run_seconds"
        case hyperparameterNames = "hyperparameter_names"
        case integerHyperparameters = "integer_hyperparameters"
        case metricNames = "metric_names"
    }

    /// Reads the whole history of the reader's experiment.
    init(_ reader: ExperimentReader) async throws {
        let name = reader.record.name
        experiment = name
        mode = reader.mode
        stop = reader.record.stop.map { Stop(rule: $0.rule, detail: $0.detail, time: $0.at.timeIntervalSince1970) }
        runSeconds = reader.record.runSeconds
        members = try await reader.store.members(of: name).map {
            Member(
                member: $0.slot, status: $0.status, step: $0.step, score: $0.score, hyperparameters: $0.hyperparameters,
                initialHyperparameters: $0.initialHyperparameters)
        }
        scores = try await reader.store.scores(of: name).map {
            Score(
                member: $0.member, step: $0.step, score: $0.score, hyperparameters: $0.hyperparameters,
                metrics: $0.metrics,
                time: $0.recordedAt?.timeIntervalSince1970)
        }
        events = try await reader.store.events(of: name).map { event in
            Event(
                sequence: event.sequence, kind: event.isExploit ? "exploit" : "explore", member: event.member,
                step: event.step, donor: event.donor, donorStep: event.donorStep, before: event.before,
                after: event.after,
                mutations: event.mutations.map(Self.change), explanation: event.explanation?.description,
                time: event.recordedAt?.timeIntervalSince1970)
        }
        metricNames = Set(scores.flatMap(\.metrics.values.keys)).sorted()
        var names = Set<String>()
        for member in members { names.formUnion(member.hyperparameters.names + member.initialHyperparameters.names) }
        for score in scores { names.formUnion(score.hyperparameters.names) }
        hyperparameterNames = names.sorted()
        for (name, domain) in reader.config?.hyperparameters ?? [:] {
            if case .integer = domain { integerHyperparameters.append(name) }
        }
        integerHyperparameters.sort()
    }

    private static func change(_ mutation: Mutation) -> Change {
        switch mutation.operation {
        case .scaled(let factor):
            Change(name: mutation.name, operation: "scaled", by: factor, clamped: mutation.clamped)
        case .shifted(let shift):
            Change(name: mutation.name, operation: "shifted", by: Double(shift), clamped: mutation.clamped)
        case .resampled: Change(name: mutation.name, operation: "resampled", by: nil, clamped: mutation.clamped)
        case .unchanged: Change(name: mutation.name, operation: "unchanged", by: nil, clamped: mutation.clamped)
        case .suggested: Change(name: mutation.name, operation: "suggested", by: nil, clamped: mutation.clamped)
        }
    }
}
