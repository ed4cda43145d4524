import Foundation
import PBT
import PBTRuntime
import PBTStore

/// What `pbt status` shows: every member, the best one, and the store's record of fallbacks.
struct StatusReport: Codable {
    /// One member's current state.
    struct Member: Codable {
        var member: Int
        var status: MemberStatus
        var step: Int
        /// The latest recorded score, as reported.
        var score: Double?
        var hyperparameters: Hyperparameters
        /// How many times it copied another member.
        var exploits: Int
        /// How many times its training failed.
        var failures: Int
        /// The worker holding it now, if any.
        var worker: String?
        /// The child's stderr log, for experiments that run an external program.
        var log: String?
    }

    /// The best member by latest score.
    struct Best: Codable {
        var member: Int
        var score: Double
        var hyperparameters: Hyperparameters
    }

    var experiment: String
    /// The store, with any password hidden.
    var store: String
    var created: Date
    var mode: ScoreMode
    /// The budget, when the configuration is a `pbt run` one.
    var steps: Int?
    var interval: Int?
    /// The ready interval in seconds of training, for time-based experiments.
    var intervalSeconds: Double?
    /// What ended the experiment before its budget (a `stop:` rule), if anything did.
    var stop: StopRecord?
    /// The experiment's run time as its workers last recorded it (with `stop: {seconds: S}`).
    var runSeconds: Double?
    /// Members that reached the budget.
    var done: Int
    /// Members that gave up after too many failures.
    var failed: Int
    var population: Int
    var scores: Int
    var exploits: Int
    var explores: Int
    var best: Best?
    var members: [Member]
    var fallbacks: [FallbackRecord]

    /// Reads the report of the reader's experiment.
    init(_ reader: ExperimentReader) async throws {
        let name = reader.record.name
        let records = try await reader.store.members(of: name)
        let events = try await reader.store.events(of: name)
        var exploitsByMember = [Int](repeating: 0, count: records.count)
        for event in events where event.isExploit && event.member < records.count {
            exploitsByMember[event.member] += 1
        }
        experiment = name
        store = reader.location.description
        created = reader.record.createdAt
        mode = reader.mode
        steps = reader.config?.schedule.steps
        interval = reader.config?.schedule.seconds == nil ? reader.config?.schedule.interval : nil
        intervalSeconds = reader.config?.schedule.seconds
        stop = reader.record.stop
        runSeconds = reader.record.runSeconds
        done = records.count { $0.status == .done }
        failed = records.count { $0.status == .failed }
        population = records.count
        scores = try await reader.store.scores(of: name).count
        exploits = events.filter(\.isExploit).count
        explores = events.count - exploits
        members = records.map {
            Member(
                member: $0.slot, status: $0.status, step: $0.step, score: $0.score, hyperparameters: $0.hyperparameters,
                exploits: exploitsByMember[$0.slot], failures: $0.failures, worker: $0.lease?.worker,
                log: reader.config?.workload.command == nil
                    ? nil : ExternalLogs.path(experiment: name, member: $0.slot, store: reader.location))
        }
        best = records.best(by: reader.mode)
            .map { Best(member: $0.slot, score: $0.score!, hyperparameters: $0.hyperparameters) }
        fallbacks = try await reader.store.fallbacks(of: name)
    }

    /// The report as a table.
    var text: String {
        let every = intervalSeconds.map { "\(Format.seconds($0)) of training" } ?? "\(interval ?? 0)"
        let budget = steps.map { " · budget \($0) steps, ready every \(every)" } ?? ""
        var lines = [
            "experiment \(experiment) in \(store) (created \(Format.date(created)), mode \(mode.rawValue)\(budget))",
            [MemberRecord].doneText(finished: done + failed, failed: failed, of: population)
                + " · \(scores) scores · \(exploits) exploits · \(explores) explores",
        ]
        if let stop {
            lines.append("stopped early by rule \(stop.summary) (at \(Format.date(stop.at)))")
        }
        if let runSeconds { lines.append("run time: \(Format.seconds(runSeconds))") }
        if let best {
            lines.append("best member \(best.member): score \(Format.score(best.score)) with \(best.hyperparameters)")
        }
        lines.append("  slot  status      step       score  exploits  hyperparameters")
        for member in members {
            var line = "  " + Format.right(String(member.member), 4) + "  " + Format.left(member.status.rawValue, 7)
            line += Format.right(String(member.step), 9) + Format.right(Format.score(member.score), 12)
            line += Format.right(String(member.exploits), 10) + "  \(member.hyperparameters)"
            if member.failures > 0 { line += "  (\(member.failures) failures)" }
            if let worker = member.worker { line += "  [held by \(worker)]" }
            lines.append(line)
            if let log = member.log { lines.append("        log: \(log)") }
        }
        if fallbacks.isEmpty {
            lines.append("fallbacks: none (every checkpoint used verified)")
        } else {
            lines.append("fallbacks (a checkpoint failed verification or could not be restored):")
            for fallback in fallbacks {
                let target =
                    fallback.toCheckpoint.map { "checkpoint \($0) at step \(fallback.toStep)" } ?? "a fresh start"
                lines.append("  member \(fallback.member): step \(fallback.fromStep) → \(target): \(fallback.reason)")
            }
        }
        return lines.joined(separator: "\n")
    }
}
