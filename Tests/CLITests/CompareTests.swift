import Foundation
import PBT
import PBTTestSupport
import Testing

/// `pbt compare`: every field of its JSON, its text table and progress, and its refusals.
@Suite("CLI: compare")
struct CompareTests {
    static let population = 4, steps = 40

    /// A directory with the experiment file `quad.yaml`.
    private func directory(population: Int = population) throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory()
        try directory.write(
            "quad.yaml", quadraticExperiment(name: "quad", population: population, steps: Self.steps, interval: 4))
        return directory
    }

    /// Whether a number read back from JSON is `expected`: Foundation's JSON parser on Linux
    /// may miss the last bit of a double, so within a few units in the last place.
    private func same(_ value: Any?, _ expected: Double?) -> Bool {
        guard let number = value as? Double, let expected else { return false }
        return abs(number - expected) <= 4 * expected.ulp
    }

    /// A JSON object's field, or an issue.
    private func object(_ value: Any?) throws -> [String: Any] { try #require(value as? [String: Any]) }

    @Test func jsonHasEveryArmSeedStepCountAndStatistic() async throws {
        let directory = try directory()
        defer { directory.remove() }
        let store = ["--store", "sqlite:cmp.sqlite"]
        let output = try await pbt(
            ["compare", "quad.yaml", "--seeds", "3", "--first-seed", "3", "--workers", "1", "--json"] + store,
            in: directory)
        let result = try object(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)))
        #expect(result["experiment"] as? String == "quad")
        #expect(result["mode"] as? String == "max")
        #expect(result["seeds"] as? [Int] == [3, 4, 5])
        #expect(result["population"] as? Int == Self.population)
        #expect(result["steps"] as? Int == Self.steps)
        #expect((result["seconds"] as? Double).map { $0 > 0 } == true)
        let arms = try #require(result["arms"] as? [[String: Any]])
        #expect(arms.map { $0["arm"] as? String } == ["pbt", "random", "fixed"])

        var finals: [String: [Double]] = [:], steps: [String: Int] = [:]
        for arm in arms {
            let name = try #require(arm["arm"] as? String)
            let runs = try #require(arm["runs"] as? [[String: Any]])
            #expect(runs.map { $0["seed"] as? Int } == [3, 4, 5])
            #expect(runs.map { $0["experiment"] as? String } == [3, 4, 5].map { "quad.\(name).seed\($0)" })
            let bests = try runs.map { try #require($0["best"] as? Double) }
            finals[name] = bests
            let summary = try #require(SampleSummary(bests))
            #expect(same(arm["median"], summary.median) && same(arm["mean"], summary.mean))
            #expect(same(arm["min"], summary.min) && same(arm["max"], summary.max))
            // Steps actually run: the budget plus, for each copy, the steps between the donor's
            // step and the copier's (read independently from the exported events).
            var total = 0
            for run in runs {
                let experiment = try #require(run["experiment"] as? String)
                let export = try await pbt(["export", experiment, "--format", "json"] + store, in: directory).stdout
                let events = try #require(
                    try object(try JSONSerialization.jsonObject(with: Data(export.utf8)))["events"] as? [[String: Any]])
                let repeated = try events.reduce(0) {
                    $0 + (try #require($1["step"] as? Int)) - (try #require($1["donor_step"] as? Int))
                }
                #expect(run["stepsRun"] as? Int == Self.population * Self.steps + repeated, "\(experiment)")
                if name != "pbt" { #expect(events.isEmpty, "\(experiment) neither exploits nor explores") }
                total += try #require(run["stepsRun"] as? Int)
            }
            #expect(arm["stepsRun"] as? Int == total)
            steps[name] = total
        }
        #expect(steps["random"] == 3 * Self.population * Self.steps && steps["fixed"] == steps["random"])
        #expect(steps["pbt"] != 3 * Self.population * Self.steps, "PBT's copies moved members back or ahead")
        #expect(arms[0]["versusPBT"] == nil && arms[0]["stepsVersusPBTPercent"] == nil)
        for arm in arms.dropFirst() {
            let name = arm["arm"] as! String
            let versus = try object(arm["versusPBT"])
            let expectedP = MannWhitneyU(finals["pbt"]!, finals[name]!, alternative: .greater)?.pValue
            #expect(same(versus["pValue"], expectedP))
            let expectedPairedP = WilcoxonSignedRank(finals["pbt"]!, finals[name]!, alternative: .greater)?.pValue
            #expect(expectedPairedP != nil && same(versus["pairedPValue"], expectedPairedP))
            #expect(same(versus["a12"], VarghaDelaneyA12(finals["pbt"]!, finals[name]!)?.value))
            let record = zip(finals["pbt"]!, finals[name]!)
            #expect(versus["wins"] as? Int == record.filter { $0 > $1 }.count)
            #expect(versus["ties"] as? Int == record.filter { $0 == $1 }.count)
            #expect(versus["losses"] as? Int == record.filter { $0 < $1 }.count)
            let percent = Double(steps[name]! - steps["pbt"]!) / Double(steps["pbt"]!) * 100
            #expect(same(arm["stepsVersusPBTPercent"], percent))
        }

        // The fixed configuration is the best member of all random runs, given to every member.
        let fixed = try object(result["fixedConfiguration"])
        #expect(same(fixed["score"], finals["random"]!.max()))
        let source = try #require(fixed["experiment"] as? String)
        #expect(source.hasPrefix("quad.random.seed"))
        let hyperparameters = try object(fixed["hyperparameters"])
        #expect(Set(hyperparameters.keys) == ["h0", "h1"])
        let sourceStatus = try object(
            try JSONSerialization.jsonObject(
                with: Data(try await pbt(["status", source, "--json"] + store, in: directory).stdout.utf8)))
        let sourceMembers = try #require(sourceStatus["members"] as? [[String: Any]])
        let member = try #require(fixed["member"] as? Int)
        #expect(
            NSDictionary(dictionary: try object(sourceMembers[member]["hyperparameters"])).isEqual(to: hyperparameters))
        let status = try object(
            try JSONSerialization.jsonObject(
                with: Data(try await pbt(["status", "quad.fixed.seed4", "--json"] + store, in: directory).stdout.utf8)))
        for member in try #require(status["members"] as? [[String: Any]]) {
            #expect(NSDictionary(dictionary: try object(member["hyperparameters"])).isEqual(to: hyperparameters))
        }

        // Progress on standard error: runs done of the total, elapsed, time left, the run.
        #expect(output.stderr.contains("pbt compare: 0/9 runs done, "))
        #expect(
            output.stderr.contains("(running quad.pbt.seed3)") && output.stderr.contains("(running quad.fixed.seed5)"))
        #expect(output.stderr.contains("left (running quad.random.seed3)"))
        #expect(output.stderr.contains("pbt compare: 9/9 runs done, "))

        // Run again: every run is resumed (finished), the text table has a row per arm.
        let text = try await pbt(
            ["compare", "quad.yaml", "--seeds", "3", "--first-seed", "3", "--quiet"] + store, in: directory)
        #expect(text.stderr.isEmpty)
        let lines = text.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("compare quad: seeds 3–5 × 4 members × 40 steps") == true)
        #expect(
            lines.contains {
                $0.contains("arm") && $0.contains("p (PBT better)") && $0.contains("paired p") && $0.contains("A12")
            })
        for (label, arm) in [("PBT", arms[0]), ("random search", arms[1]), ("best fixed", arms[2])] {
            #expect(
                lines.contains { $0.hasPrefix("  \(label) ") && $0.contains("\(arm["stepsRun"] as! Int)") },
                "\(label) row")
        }
        #expect(lines.filter { $0.hasPrefix("  seed ") }.count == 3)
        #expect(lines.contains { $0.hasPrefix("  fixed configuration: h0=") && $0.contains("of \(source)") })
    }

    @Test("an external program is compared like a built-in workload, counting the steps each arm ran")
    func aCommandWorkloadIsCompared() async throws {
        guard let directory = try shellExample() else { return }
        defer { directory.remove() }
        let output = try await pbt(
            ["compare", "climb.yaml", "--seeds", "2", "--arms", "pbt,random", "--json", "--quiet"], in: directory)
        let arms = try #require(
            try object(JSONSerialization.jsonObject(with: Data(output.stdout.utf8)))["arms"] as? [[String: Any]])
        #expect(arms.map { $0["arm"] as? String } == ["pbt", "random"])
        for arm in arms {
            let runs = try #require(arm["runs"] as? [[String: Any]])
            #expect(runs.map { $0["seed"] as? Int } == [2, 3])
            #expect(runs.allSatisfy { ($0["best"] as? Double)?.isFinite == true })
            let steps = runs.compactMap { $0["stepsRun"] as? Int }
            #expect(steps.count == 2 && arm["stepsRun"] as? Int == steps.reduce(0, +))
        }
        // Random search trains each of 4 members its 40 steps (PBT's count differs by the steps
        // trained again or skipped after copying a donor).
        #expect(arms[1]["stepsRun"] as? Int == 2 * 4 * 40)
    }

    @Test func badInputIsRefusedAndNothingIsWritten() async throws {
        let directory = try directory()
        defer { directory.remove() }
        try await refuse(
            ["compare", "quad.yaml", "--seeds", "0"], in: directory, mentioning: ["--seeds", "at least 1", "got 0"])
        try await refuse(["compare", "quad.yaml", "--seeds", "-2"], in: directory, mentioning: ["--seeds", "got -2"])
        try await refuse(
            ["compare", "quad.yaml", "--first-seed", "-1"], in: directory,
            mentioning: ["--first-seed", "from 0", "got '-1'"])
        try await refuse(
            ["compare", "quad.yaml", "--arms", "pbt,pb3"], in: directory,
            mentioning: ["unknown arm 'pb3'", "pbt, pb2, random, fixed"])
        try await refuse(
            ["compare", "quad.yaml", "--arms", "random,fixed"], in: directory, mentioning: ["must include pbt"])
        try await refuse(
            ["compare", "quad.yaml", "--arms", "pbt,fixed"], in: directory, mentioning: ["fixed needs random"])
        try await refuse(["compare", "quad.yaml", "--arms", "pbt,pbt"], in: directory, mentioning: ["twice"])
        try directory.write(
            "none.yaml",
            quadraticExperiment(name: "none", population: 2, steps: 8, interval: 4)
                .replacingOccurrences(
                    of: "exploit: {strategy: truncation, fraction: 0.25}", with: "exploit: {strategy: none}"))
        try await refuse(
            ["compare", "none.yaml"], in: directory,
            mentioning: ["'none'", "exploit: none", "random search compared with itself"])
        try directory.write(
            "unread.yaml",
            quadraticExperiment(name: "unread", population: 2, steps: 8, interval: 4)
                .replacingOccurrences(of: "h1:", with: "momentum:"))
        try await refuse(
            ["compare", "unread.yaml"], in: directory, mentioning: ["hyperparameters.momentum", "does not read it"])
        #expect(!FileManager.default.fileExists(atPath: directory.path + "/runs"))
    }

    @Test func aStoreHoldingAnotherConfigurationOfTheComparisonIsRefused() async throws {
        let directory = try directory(population: 2)
        defer { directory.remove() }
        let store = ["--store", "sqlite:cmp.sqlite"]
        try await pbt(
            ["compare", "quad.yaml", "--seeds", "1", "--workers", "1", "--quiet", "--arms", "pbt,random"] + store,
            in: directory)
        try directory.write(
            "quad.yaml", quadraticExperiment(name: "quad", population: 3, steps: Self.steps, interval: 4))
        // Other seeds count too: one store holds one comparison of a name.
        try await refuse(
            ["compare", "quad.yaml", "--seeds", "1", "--first-seed", "9"] + store, in: directory,
            mentioning: [
                "cmp.sqlite", "already holds a comparison 'quad'", "quad.pbt.seed7", "population: 2 → 3", "--store",
                "delete",
            ])
    }
}
