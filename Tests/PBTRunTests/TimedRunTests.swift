import Foundation
import PBT
import PBTRuntime
import PBTSQLite
import PBTStore
import PBTTestSupport
import Testing

/// Time-based readiness and stop rules, run by the worker loop on real stores. Nothing here
/// asserts a duration: the invariants are exact step accounting, termination and what is
/// recorded.
@Suite("Runs: time-based readiness and stop rules")
struct TimedRunTests {
    /// A trainable whose score carries its own step count: `step + h / 10` (h in [0, 1)), so a
    /// score's integer part is the step the trainable really reached; `flat` scores 1 always.
    final class Ticker: Trainable {
        var h: Double
        let flat: Bool
        var step = 0

        init(h: Double, flat: Bool) {
            self.h = h
            self.flat = flat
        }

        func apply(_ hyperparameters: Hyperparameters) async throws { h = hyperparameters["h"]!.number! }
        func train(steps: Int) async throws { step += steps }
        func evaluate() async throws -> Double { flat ? 1 : Double(step) + h / 10 }
        func save() async throws -> [UInt8] { withUnsafeBytes(of: step) { Array($0) } }
        func restore(from checkpoint: [UInt8]) async throws {
            step = checkpoint.withUnsafeBytes { $0.loadUnaligned(as: Int.self) }
        }
    }

    struct Ticking: Workload {
        var flat = false
        var hyperparameterNames: [String] { ["h"] }

        func makeTrainable(hyperparameters: Hyperparameters, seed: UInt64) async throws -> any Trainable {
            Ticker(h: hyperparameters["h"]!.number!, flat: flat)
        }
    }

    private func config(
        _ name: String, schedule: TrainingSchedule, population: Int = 4, stop: StopRules? = nil
    ) -> ExperimentConfig {
        ExperimentConfig(
            name: name, workload: WorkloadSpec(name: "ticking"), population: population, schedule: schedule, seed: 3,
            exploit: .truncation(fraction: 0.25), explore: .perturb(factors: [0.8, 1.2]),
            hyperparameters: ["h": .uniform(lower: 0, upper: 0.99)], stop: stop)
    }

    /// Every recorded step is the step the trainable reached (copies included).
    private func expectExactSteps(_ scores: [ScoreRecord]) {
        for score in scores { #expect(Int(score.score.rounded(.down)) == score.step, "\(score)") }
    }

    // Time limits here are safety nets for a run that never ends, not speed checks: under load
    // a segment trains fewer steps, so a run records more ready points and takes longer.
    @Test(
        "seconds: asynchronous and synchronous runs end, every member at its budget, steps exact",
        .timeLimit(.minutes(10)), arguments: [false, true])
    func timeBased(synchronous: Bool) async throws {
        let schedule = try TrainingSchedule(steps: 3000, seconds: 0.002, synchronous: synchronous)
        let config = config("timed", schedule: schedule)
        let store = InMemoryStore()
        try await LocalRunner(config: config, store: store, workload: Ticking()).run(workers: 2)
        let members = try await store.members(of: "timed")
        #expect(members.allSatisfy { $0.status == .done && $0.step == 3000 })
        let scores = try await store.scores(of: "timed")
        expectExactSteps(scores)
        #expect(scores.allSatisfy { $0.step >= 1 && $0.step <= 3000 })
        let events = try await store.events(of: "timed")
        for event in events where event.isExploit {
            // The copier was where its ready point was recorded; it goes on from the donor's.
            #expect(scores.contains { $0.member == event.member && $0.step == event.step })
        }
    }

    @Test(
        "seconds: runs end whatever the scores do (diverging, noisy, NaN...), every member at its budget",
        .timeLimit(.minutes(10)), arguments: ProgressTests.Shape.allCases)
    func timeBasedProgress(shape: ProgressTests.Shape) async throws {
        let config = ExperimentConfig(
            name: "progress", workload: WorkloadSpec(name: "climbing"), population: 4,
            schedule: try TrainingSchedule(steps: 20_000, seconds: 0.0005), seed: 5,
            exploit: .truncation(fraction: 0.25),
            explore: .perturb(factors: [0.8, 1.2]), hyperparameters: ["h": .uniform(lower: 2.1, upper: 3)])
        let store = InMemoryStore()
        try await LocalRunner(config: config, store: store, workload: ProgressTests.Climbing(shape: shape)).run(
            workers: 2)
        #expect(try await store.members(of: "progress").allSatisfy { $0.status == .done && $0.step == 20_000 })
        #expect(try await store.scores(of: "progress").count > 4, "several segments per member")
    }

    @Test("a replay of a time-based member is ready where its schedule changed and reproduces its score")
    func replay() async throws {
        let config = config("timed-replay", schedule: try TrainingSchedule(steps: 5000, seconds: 0.001))
        let store = InMemoryStore()
        try await LocalRunner(config: config, store: store, workload: Ticking()).run(workers: 1)
        let summary = try await RunSummary(experiment: "timed-replay", store: store, mode: .max)
        let best = try #require(summary.best)
        let replay = try config.replaying(schedule: best.schedule, steps: 5000, name: "replayed")
        #expect(!replay.schedule.isTimeBased && best.schedule.allSatisfy { $0.step % replay.schedule.interval == 0 })
        try await LocalRunner(config: replay, store: store, workload: Ticking()).run(workers: 1)
        #expect(try await store.members(of: "replayed")[0].score == best.score)
    }

    @Test("score: the first member to reach the target stops the whole experiment, recorded; a rerun adds nothing")
    func scoreTarget() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path + "/stop.sqlite"
        let config = config(
            "target", schedule: try TrainingSchedule(steps: 10_000, interval: 50), stop: try StopRules(score: 500))
        do {
            let store = try SQLiteStore(path: path)
            try await LocalRunner(config: config, store: store, workload: Ticking()).run(workers: 1)
            let scores = try await store.scores(of: "target")
            expectExactSteps(scores)
            let hit = try #require(scores.last)
            #expect(hit.score >= 500 && scores.dropLast().allSatisfy { $0.score < 500 }, "nothing after the stop")
            let record = try #require(try await store.experiment(named: "target"))
            #expect(record.stop?.rule == "score")
            #expect(
                record.stop?.detail
                    == "member \(hit.member) reached the target score 500.0 at step \(hit.step) (\(hit.score))")
            #expect(try await store.members(of: "target").allSatisfy { $0.status == .ready })
            let summary = try await RunSummary(experiment: "target", store: store, mode: .max)
            #expect(summary.stop == record.stop)
            try store.close()
        }
        let store = try SQLiteStore(path: path)
        let before = try await store.scores(of: "target").count
        try await LocalRunner(config: config, store: store, workload: Ticking()).run(workers: 2)
        #expect(try await store.scores(of: "target").count == before, "a stopped experiment stays stopped")
        try store.close()
    }

    @Test("plateau: window ready points without improvement end the run, exactly, with one worker")
    func plateau() async throws {
        let rules = try StopRules(plateau: StopRules.Plateau(window: 6, minDelta: 0.01))
        let config = config("flat", schedule: try TrainingSchedule(steps: 10_000, interval: 10), stop: rules)
        let store = InMemoryStore()
        try await LocalRunner(config: config, store: store, workload: Ticking(flat: true)).run(workers: 1)
        #expect(try await store.scores(of: "flat").count == 7, "the first sets the best, six more do not improve it")
        let stop = try #require(try await store.experiment(named: "flat")?.stop)
        #expect(stop.rule == "plateau" && stop.detail.contains("over the last 6 ready points"))
    }

    @Test("seconds: the run time recorded before a resume counts; a spent budget stops at once, nothing trained")
    func secondsSurviveResume() async throws {
        let config = config(
            "budget", schedule: try TrainingSchedule(steps: 100, interval: 10), stop: try StopRules(seconds: 50))
        let store = InMemoryStore()
        let runner = try LocalRunner(config: config, store: store, workload: Ticking())
        try await runner.open()
        _ = try await store.recordRun(experiment: "budget", seconds: 50.5, stop: nil)  // an earlier run's time
        try await runner.run(workers: 2)
        #expect(try await store.scores(of: "budget").isEmpty)
        let record = try #require(try await store.experiment(named: "budget"))
        #expect(record.stop?.rule == "seconds" && record.runSeconds! >= 50.5)
    }

    @Test("seconds: each commit records the run time; a budget not spent changes nothing else")
    func runTimeIsRecorded() async throws {
        let config = config(
            "clock", schedule: try TrainingSchedule(steps: 100, interval: 10), stop: try StopRules(seconds: 3600))
        let store = InMemoryStore()
        try await LocalRunner(config: config, store: store, workload: Ticking()).run(workers: 2)
        let record = try #require(try await store.experiment(named: "clock"))
        #expect(record.stop == nil && (record.runSeconds ?? 0) > 0)
        #expect(try await store.members(of: "clock").allSatisfy { $0.status == .done && $0.step == 100 })
    }
}
