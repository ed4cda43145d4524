import Foundation
import PBT
import Testing

@testable import PBTRuntime

@Suite("Experiment files")
struct ConfigTests {
    static let valid = """
        name: toy
        workload: {name: quadratic, step_size: 0.02}
        population: 4
        steps: 100
        interval: 4
        burn_in: 8
        synchronous: true
        mode: min
        seed: 3
        exploit: {strategy: ttest, window: 5, alpha: 0.1}
        explore: {strategy: resample, probability: 0.5, factors: [0.5, 2]}
        hyperparameters:
          h0: {uniform: [0, 1]}
          lr: {loguniform: [0.0001, 0.1]}
          units: {int: [8, 64]}
          width: {choice: [16, 32, 64], ordered: true}
          act: {choice: [relu, tanh]}
          k: 3
        initial:
          - {h0: 1, lr: 0.01, units: 8, width: 32, act: relu, k: 3}
        """

    @Test("a complete file is read into the configuration it describes")
    func valid() throws {
        let config = try ExperimentConfig(yaml: Self.valid, file: "toy.yaml")
        #expect(config.name == "toy")
        #expect(config.workload == WorkloadSpec(name: "quadratic", options: ["step_size": 0.02]))
        #expect(config.schedule == (try TrainingSchedule(steps: 100, interval: 4, burnIn: 8, synchronous: true)))
        #expect(config.mode == .min && config.seed == 3 && config.population == 4)
        #expect(config.exploit == .ttest(window: 5, alpha: 0.1))
        let guarded = try ExperimentConfig(
            yaml:
                "name: g\nworkload: quadratic\npopulation: 2\nsteps: 10\ninterval: 2\n"
                + "hyperparameters: {h0: {uniform: [0, 1]}}\n"
                + "exploit: {strategy: truncation, keep_improving: {window: 6, alpha: 0.1}}", file: "g.yaml")
        #expect(guarded.exploit == .keepImproving(.truncation(fraction: 0.2), window: 6, alpha: 0.1))
        #expect(
            "\(try guarded.makeScheduler().exploit)"
                == "truncation(fraction: 0.2), keep_improving(window: 6, alpha: 0.1)")
        #expect(config.explore == .resample(probability: 0.5, factors: [0.5, 2]))
        #expect(config.hyperparameters["lr"] == .logUniform(lower: 0.0001, upper: 0.1))
        #expect(config.hyperparameters["units"] == .integer(lower: 8, upper: 64))
        #expect(config.hyperparameters["width"] == .choice([16, 32, 64], ordered: true))
        #expect(config.hyperparameters["act"] == .choice(["relu", "tanh"], ordered: false))
        #expect(config.hyperparameters["k"] == .constant(3))
        #expect(config.initial.first?["act"] == "relu")
        let members = try config.initialHyperparameters(using: try config.makeScheduler())
        #expect(members.count == 4 && members[0] == config.initial[0])
    }

    @Test("defaults: asynchronous, max, truncation 20%, perturb ×0.8/×1.2, seed 0")
    func defaults() throws {
        let config = try ExperimentConfig(
            yaml: """
                name: d
                workload: quadratic
                population: 2
                steps: 10
                interval: 2
                hyperparameters: {h0: {uniform: [0, 1]}}
                """)
        #expect(config.exploit == .truncation(fraction: 0.2) && config.explore == .perturb(factors: [0.8, 1.2]))
        #expect(!config.schedule.synchronous && config.mode == .max && config.seed == 0)
    }

    @Test(
        "bad input names the field, the line and what is allowed",
        arguments: [
            ("interva: 4", "interva", "unknown key; allowed: name, workload"),
            ("population: two", "population", "expected an integer, got 'two'"),
            ("population: 0", "population", "must be in 1..."),
            ("interval: 500", "interval", "must be in 1...100"),
            ("mode: best", "mode", "'best' is not allowed; allowed: max, min"),
            ("exploit: {strategy: truncation, fraction: 2}", "exploit.fraction", "must be in (0, 0.5], got 2"),
            ("exploit: {strategy: truncation, window: 2}", "exploit.window", "not a setting of truncation"),
            ("exploit: greedy", "exploit", "allowed: truncation, ttest, tournament, none"),
            ("exploit: {strategy: ttest, keep_improving: 2}", "exploit.keep_improving", "must be in 3..."),
            (
                "exploit: {strategy: none, keep_improving: 5}", "exploit.keep_improving",
                "nothing to keep improving members from"
            ),
            ("exploit: {strategy: ttest, keep_improving: {alpha: 0.1}}", "exploit.keep_improving", "needs 'window'"),
            (
                "exploit: {strategy: ttest, keep_improving: {window: 4, alpha: 2}}", "exploit.keep_improving.alpha",
                "must be in (0, 1), got 2"
            ),
            (
                "exploit: {strategy: ttest, keep_improving: {window: 4, slope: 2}}", "exploit.keep_improving.slope",
                "unknown key; allowed: window, alpha"
            ),
            ("explore: {strategy: perturb, factors: []}", "explore.factors", "non-empty list of positive numbers"),
            (
                "explore: {strategy: perturb, probability: 0.2}", "explore.probability",
                "only resample takes a probability"
            ),
            ("hyperparameters: {lr: {loguniform: [0, 1]}}", "hyperparameters.lr", "0 < lower < upper"),
            (
                "hyperparameters: {lr: {uniform: [1]}}", "hyperparameters.lr.uniform",
                "expected [lower, upper], got 1 values"
            ),
            (
                "hyperparameters: {lr: {gaussian: [0, 1]}}", "hyperparameters.lr.gaussian",
                "unknown key; allowed: uniform, loguniform"
            ),
            ("hyperparameters: {act: {choice: []}}", "hyperparameters.act", "at least one option"),
            ("initial: [{h0: 2}]", "initial[0].h0", "outside uniform(0.0, 1.0)"),
            ("initial: [{h9: 0.5}]", "initial[0].h9", "unknown hyperparameter; allowed: h0"),
            ("steps: 1.5", "steps", "expected an integer, got '1.5'"),
            ("name: 'my run'", "name", "use letters, digits"),
            ("name: '.'", "name", "names a folder"),
            ("name: '..'", "name", "names a folder"),
            ("explore: {strategy: pb2, factors: [0.8]}", "explore.factors", "pb2 takes no factors"),
            ("explore: {strategy: perturb, window_step: 5}", "explore.window_step", "only pb2 takes this setting"),
            ("explore: {strategy: pb2, fit_starts: 0}", "explore.fit_starts", "must be in 1...1000000"),
            ("explore: {strategy: pb2, fit_rows: 1}", "explore.fit_rows", "must be in 2...1000000"),
            ("explore: {strategy: resample, fit_rows: 50}", "explore.fit_rows", "only pb2 takes this setting"),
            (
                "explore: {strategy: pb2, trust_region: 0}", "explore.trust_region",
                "must be a number in (0, 1], got 0.0"
            ),
            ("explore: {strategy: perturb, trust_region: 0.2}", "explore.trust_region", "only pb2 takes this setting"),
            ("explore: {strategy: pb2, minimum_window: 1}", "explore.minimum_window", "must be at least 2, got 1"),
            (
                "explore: {strategy: pb2, acquisition: 5}", "explore.acquisition",
                "unknown key; allowed: strategy, factors"
            ),
        ])
    func invalid(line: String, field: String, message: String) {
        var lines = [
            "name: bad", "workload: quadratic", "population: 2", "steps: 100", "interval: 4",
            "hyperparameters: {h0: {uniform: [0, 1]}}",
        ]
        let key = String(line.prefix { $0 != ":" })
        lines.removeAll { $0.hasPrefix("\(key):") }
        lines.append(line)
        #expect {
            try ExperimentConfig(yaml: lines.joined(separator: "\n"), file: "bad.yaml")
        } throws: { error in
            let error = error as! ConfigError
            let matches = error.field == field && error.message.contains(message) && error.file == "bad.yaml"
            if !matches { Issue.record("got \(error)") }
            return matches && error.description.hasPrefix("bad.yaml:")
        }
    }

    @Test(
        "explore: pb2 with its settings; unordered choices are accepted (PB2-Mix); nothing to tune is refused at load"
    )
    func pb2() throws {
        let file = """
            name: p
            workload: quadratic
            population: 4
            steps: 100
            interval: 10
            explore: {strategy: pb2, maximum_rows: 500, window_step: 20}
            hyperparameters: {h0: {uniform: [0, 1]}, h1: {loguniform: [0.001, 1]}}
            """
        var settings = PB2Settings()
        settings.maximumRows = 500
        settings.windowStep = 20
        let config = try ExperimentConfig(yaml: file)
        #expect(config.explore == .pb2(settings))
        let scheduler = try config.makeScheduler()
        #expect(scheduler.explore.description.hasPrefix("pb2(maximum_rows: 500, minimum_window: 200, window_step: 20"))
        #expect(scheduler.explore.historyRows == 1000)
        #expect(scheduler.explore.description.hasSuffix("trust_region: 0.1)"), "the default trust region")
        let whole = try ExperimentConfig(
            yaml: file.replacingOccurrences(of: "window_step: 20}", with: "window_step: 20, trust_region: 1}"))
        #expect(
            whole.explore
                == .pb2(
                    {
                        var s = settings
                        s.trustRegion = nil
                        return s
                    }()))
        #expect(
            try whole.makeScheduler().explore.description.hasSuffix("acquisition_starts: 10)"),
            "1 is Ray's whole domains")
        // A configuration stored before trust_region existed reads as the whole domains, and so
        // does `trust_region: 1`: resuming it with that line added finds the same configuration.
        let stored = try config.canonicalJSON().replacingOccurrences(of: ",\"trustRegion\":0.1", with: "")
        let current = try config.canonicalJSON()
        #expect(!stored.contains("trustRegion") && stored != current)
        #expect(try JSONDecoder().decode(ExperimentConfig.self, from: Data(stored.utf8)).explore == whole.explore)
        #expect(try whole.canonicalJSON() == stored)
        // fit_rows: 100 unless set; at or above minimum_window it stores nil, as a configuration
        // stored before the setting reads, which fits on minimum_window rows as it did then.
        #expect(settings.fitRows == 100 && scheduler.explore.description.contains("fit_rows: 100,"))
        let lines: [(String, Int?, Int)] = [
            ("fit_rows: 50", 50, 50), ("fit_rows: 200", nil, 200), ("fit_rows: 900", nil, 200),
        ]
        for (line, stored, described) in lines {
            let rows = try ExperimentConfig(
                yaml: file.replacingOccurrences(of: "window_step: 20}", with: "window_step: 20, \(line)}"))
            guard case .pb2(let read) = rows.explore else {
                Issue.record("\(line): not pb2")
                continue
            }
            #expect(read.fitRows == stored, "\(line)")
            #expect(try rows.makeScheduler().explore.description.contains("fit_rows: \(described),"), "\(line)")
        }
        let beforeFitRows = try config.canonicalJSON().replacingOccurrences(of: ",\"fitRows\":100", with: "")
        #expect(!beforeFitRows.contains("fitRows"))
        let resumed = try JSONDecoder().decode(ExperimentConfig.self, from: Data(beforeFitRows.utf8))
        #expect(try resumed.makeScheduler().explore.description.contains("fit_rows: 200,"))
        let mixed = try ExperimentConfig(
            yaml: file.replacingOccurrences(of: "h1: {loguniform: [0.001, 1]}", with: "act: {choice: [relu, tanh]}"))
        #expect(try mixed.makeScheduler().explore.description.hasPrefix("pb2("))
        let refusals = [
            (
                "hyperparameters: {h0: 0.5, h1: {constant: 2}}", "explore.strategy", 6,
                "at least one tunable hyperparameter"
            ),
            (
                "hyperparameters: {act: {choice: [relu]}}", "explore.strategy", 6,
                "a choice of one option"
            ),
        ]
        for (line, field, number, message) in refusals {
            let text = file.replacingOccurrences(
                of: "hyperparameters: {h0: {uniform: [0, 1]}, h1: {loguniform: [0.001, 1]}}", with: line)
            #expect {
                try ExperimentConfig(yaml: text, file: "p.yaml")
            } throws: { error in
                let error = error as! ConfigError
                let matches = error.field == field && error.line == number && error.message.contains(message)
                if !matches { Issue.record("got \(error)") }
                return matches
            }
        }
    }

    @Test("missing required keys, empty and malformed files are refused")
    func missing() {
        #expect(throws: ConfigError.self) { try ExperimentConfig(yaml: "name: x\nworkload: quadratic") }
        #expect(throws: ConfigError.self) { try ExperimentConfig(yaml: "") }
        #expect(throws: ConfigError.self) { try ExperimentConfig(yaml: "name: [unclosed") }
        #expect(throws: ConfigError.self) { try ExperimentConfig(contentsOf: "/nonexistent/file.yaml") }
    }

    @Test("the canonical JSON is stable, so a resume can compare it")
    func canonical() throws {
        let a = try ExperimentConfig(yaml: Self.valid).canonicalJSON()
        let b = try ExperimentConfig(yaml: Self.valid).canonicalJSON()
        #expect(a == b)
        var changed = try ExperimentConfig(yaml: Self.valid)
        changed.seed = 4
        #expect(try changed.canonicalJSON() != a)
    }

    @Test("an alias bomb and an oversized file are refused at once")
    func aliasBombAndSize() {
        var bomb = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
        for level in 1...9 {
            bomb.append(
                "a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ") + "]")
        }
        bomb += ["name: bomb", "workload: {name: quadratic, x: *a9}", "population: 2", "steps: 10", "interval: 5"]
        #expect {
            try ExperimentConfig(yaml: bomb.joined(separator: "\n"), file: "bomb.yaml")
        } throws: { error in
            (error as? ConfigError)?.message.contains("expands to more than 100000 values") == true
        }
        #expect {
            try ExperimentConfig(yaml: "name: big\n#" + String(repeating: "x", count: 1 << 20), file: "big.yaml")
        } throws: { error in
            (error as? ConfigError)?.message.contains("may have at most 1048576") == true
        }
    }
}
