import PBT
import Testing

@testable import PBTRuntime

/// `interval` in steps or seconds, and `stop:` rules, as experiment files write them.
@Suite("Experiment files: time-based intervals and stop rules")
struct StopConfigTests {
    private static func file(_ extra: [String]) -> String {
        var lines = [
            "name: t", "workload: quadratic", "population: 2", "steps: 100", "interval: 4",
            "hyperparameters: {h0: {uniform: [0, 1]}}",
        ]
        for line in extra {
            let key = String(line.prefix { $0 != ":" })
            lines.removeAll { $0.hasPrefix("\(key):") }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }

    @Test("interval: N, {steps: N} and {seconds: S}")
    func intervals() throws {
        let plain = try ExperimentConfig(yaml: Self.file([]))
        let mapped = try ExperimentConfig(yaml: Self.file(["interval: {steps: 4}"]))
        #expect(plain.schedule == mapped.schedule && plain.schedule.interval == 4 && !plain.schedule.isTimeBased)
        let timed = try ExperimentConfig(yaml: Self.file(["interval: {seconds: 2.5}", "synchronous: true"]))
        #expect(timed.schedule == (try TrainingSchedule(steps: 100, seconds: 2.5, synchronous: true)))
    }

    @Test("stop rules, any combination; files without them keep their stored JSON (resumes still match)")
    func rules() throws {
        let all = try ExperimentConfig(
            yaml: Self.file(["stop: {score: 1.19, seconds: 60, plateau: {window: 5, min_delta: 0.01}}"]))
        #expect(
            all.stop == (try StopRules(score: 1.19, seconds: 60, plateau: StopRules.Plateau(window: 5, minDelta: 0.01)))
        )
        let one = try ExperimentConfig(yaml: Self.file(["stop: {plateau: {window: 3}}"]))
        #expect(one.stop?.plateau == (try StopRules.Plateau(window: 3, minDelta: 0)) && one.stop?.score == nil)
        let plain = try ExperimentConfig(yaml: Self.file([])).canonicalJSON()
        #expect(!plain.contains("stop") && !plain.contains("seconds"))
        #expect(plain.contains(#""schedule":{"burnIn":0,"interval":4,"steps":100,"synchronous":false}"#))
        let timed = try ExperimentConfig(yaml: Self.file(["interval: {seconds: 3}", "stop: {seconds: 60}"]))
            .canonicalJSON()
        #expect(timed.contains(#""seconds":3"#) && timed.contains(#""stop":{"seconds":60}"#))
    }

    @Test(
        "bad intervals and stop rules name the field and what is allowed",
        arguments: [
            ("interval: {seconds: 0}", "interval.seconds", "must be a number of seconds > 0, got 0"),
            ("interval: {seconds: -3}", "interval.seconds", "must be a number of seconds > 0, got -3"),
            ("interval: {seconds: .inf}", "interval.seconds", "expected a finite number"),
            ("interval: {seconds: 5, steps: 4}", "interval", "needs exactly one of steps, seconds"),
            ("interval: {}", "interval", "needs exactly one of steps, seconds"),
            ("interval: {minutes: 5}", "interval.minutes", "unknown key; allowed: steps, seconds"),
            ("interval: {steps: 500}", "interval.steps", "must be in 1...100"),
            ("stop: {speed: 3}", "stop.speed", "unknown key; allowed: score, seconds, plateau"),
            ("stop: 3", "stop", "expected a mapping of rules"),
            ("stop: {}", "stop", "needs at least one rule: score, seconds, plateau"),
            ("stop: {seconds: 0}", "stop.seconds", "must be a number of seconds > 0, got 0"),
            ("stop: {seconds: -10}", "stop.seconds", "must be a number of seconds > 0"),
            ("stop: {score: .nan}", "stop.score", "expected a finite number"),
            ("stop: {score: .inf}", "stop.score", "expected a finite number"),
            ("stop: {score: high}", "stop.score", "expected a finite number, got 'high'"),
            ("stop: {plateau: {window: 0}}", "stop.plateau.window", "must be in 1...1000000000, got 0"),
            ("stop: {plateau: {window: 2.5}}", "stop.plateau.window", "expected an integer"),
            ("stop: {plateau: {min_delta: 0.1}}", "stop.plateau", "needs 'window'"),
            ("stop: {plateau: {window: 3, min_delta: -0.1}}", "stop.plateau.min_delta", "must be a number ≥ 0"),
            (
                "stop: {plateau: {window: 3, patience: 2}}", "stop.plateau.patience",
                "unknown key; allowed: window, min_delta"
            ),
            ("stop: {plateau: 5}", "stop.plateau", "expected {window: W, min_delta: D}"),
        ])
    func invalid(line: String, field: String, message: String) {
        #expect {
            try ExperimentConfig(yaml: Self.file([line]), file: "bad.yaml")
        } throws: { error in
            guard let error = error as? ConfigError else { return false }
            let matches = error.field == field && error.message.contains(message) && error.line != nil
            if !matches { Issue.record("got \(error)") }
            return matches
        }
    }
}
