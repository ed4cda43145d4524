import Foundation
import PBTTestSupport
import Testing

/// `status`, `export`, `schedule`, `replay` and `list` on a finished experiment.
@Suite("CLI: reading and replaying an experiment")
struct CommandTests {
    static let population = 4

    /// A directory with the finished experiment `quad` in `runs/quad.sqlite` (the default).
    private func finished() async throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory()
        try directory.write(
            "quad.yaml", quadraticExperiment(name: "quad", population: Self.population, steps: 400, interval: 4))
        try await pbt(["run", "quad.yaml", "--workers", "1", "--quiet"], in: directory)
        return directory
    }

    @Test func statusShowsMembersBestStoreAndFallbacks() async throws {
        let directory = try await finished()
        defer { directory.remove() }
        let before = try directory.snapshot()
        let text = try await pbt(["status", "quad"], in: directory).stdout
        #expect(text.contains("experiment quad in sqlite:runs/quad.sqlite"))
        #expect(text.contains("4/4 members done"))
        #expect(text.contains("best member"))
        #expect(text.contains("fallbacks: none"))
        #expect(
            text.split(separator: "\n").filter { $0.contains("done") && $0.contains("h0=") }.count == Self.population)
        let json = try JSONSerialization.jsonObject(
            with: Data(try await pbt(["status", "quad", "--json"], in: directory).stdout.utf8))
        let object = try #require(json as? [String: Any])
        #expect((object["members"] as? [Any])?.count == Self.population)
        #expect(object["store"] as? String == "sqlite:runs/quad.sqlite")
        #expect((object["best"] as? [String: Any])?["score"] is Double)
        #expect(try directory.snapshot() == before, "status wrote something")
    }

    @Test func exportWritesCSVWithAColumnPerHyperparameterAndJSON() async throws {
        let directory = try await finished()
        defer { directory.remove() }
        try await pbt(["export", "quad", "--format", "csv", "--output", "quad.csv"], in: directory)
        let lines = try String(contentsOfFile: directory.path + "/quad.csv", encoding: .utf8).split(separator: "\n")
        #expect(
            lines.first == "kind,sequence,member,step,score,donor,donor_step,mutations,time,h0,h1,q_hat,theta0,theta1")
        let scores = lines.filter { $0.hasPrefix("score,") }
        #expect(scores.count >= Self.population * 100, "a score per ready point, more after copies from behind")
        let exploits = lines.filter { $0.hasPrefix("exploit,") }
        #expect(!exploits.isEmpty)
        let json = try await pbt(["export", "quad", "--format", "json"], in: directory).stdout
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect((object["scores"] as? [Any])?.count == scores.count)
        #expect((object["events"] as? [Any])?.count == lines.count - 1 - scores.count)
        #expect(object["hyperparameter_names"] as? [String] == ["h0", "h1"])
        let event = try #require((object["events"] as? [[String: Any]])?.first)
        #expect(event["mutations"] is [Any] && event["donor_step"] is Int && event["time"] is Double)
        #expect(object["metric_names"] as? [String] == ["q_hat", "theta0", "theta1"])
        let score = try #require((object["scores"] as? [[String: Any]])?.first)
        #expect((score["metrics"] as? [String: Double]).map { Set($0.keys) } == ["q_hat", "theta0", "theta1"])
        #expect((score["time"] as? Double).map { $0 > 1.7e9 } == true)
    }

    @Test func versionNamesTheReleaseAndTheProtocol() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let output = try await pbt(["--version"], in: directory).stdout
        #expect(output.hasPrefix("pbt 0.") && output.contains("protocol 1"))
    }

    @Test func csvAndJSONWriteIntegerHyperparametersAsIntegers() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write(
            "pole.yaml",
            """
            name: pole
            workload: {name: cartpole, envs: 2}
            population: 2
            steps: 4
            interval: 2
            hyperparameters:
              lr: {loguniform: [1e-4, 1e-2]}
              unroll: {int: [2, 9]}

            """)
        try await pbt(["run", "pole.yaml", "--workers", "1", "--quiet"], in: directory)
        let csv = try await pbt(["export", "pole", "--format", "csv"], in: directory).stdout
        let lines = csv.split(separator: "\n")
        let column = try #require(lines.first?.split(separator: ",").firstIndex(of: "unroll"))
        let rows = lines.dropFirst().filter { $0.hasPrefix("score,") }
        #expect(rows.count == 4)
        for row in rows {
            let unroll = String(row.split(separator: ",", omittingEmptySubsequences: false)[column])
            #expect(Int(unroll) != nil, "unroll written as \(unroll)")
        }
        // JSON too: `"unroll":5`, never `"unroll":5.0`, and the integer names listed.
        let json = try await pbt(["export", "pole", "--format", "json"], in: directory).stdout
        let values = json.components(separatedBy: #""unroll":"#).dropFirst().map {
            $0.prefix { $0 != "," && $0 != "}" }
        }
        #expect(values.count >= 4)
        for value in values { #expect(Int(value) != nil, "unroll in JSON: \(value)") }
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(object["integer_hyperparameters"] as? [String] == ["unroll"])
    }

    @Test func scheduleFollowsDonorsAndReplayReproducesEveryMemberBitForBit() async throws {
        let directory = try await finished()
        defer { directory.remove() }
        for member in 0..<Self.population {
            let schedule = try await pbt(["schedule", "quad", "--member", "\(member)", "--json"], in: directory).stdout
            let object = try #require(try JSONSerialization.jsonObject(with: Data(schedule.utf8)) as? [String: Any])
            let stretches = try #require(object["schedule"] as? [[String: Any]])
            #expect(stretches.first?["from"] as? Int == 0)
            #expect(stretches.last?["to"] as? Int == 400)
            let replay = try await pbt(["replay", "quad", "--member", "\(member)", "--quiet", "--json"], in: directory)
                .stdout
            let result = try #require(try JSONSerialization.jsonObject(with: Data(replay.utf8)) as? [String: Any])
            #expect(result["identical_score"] as? Bool == true, "member \(member): \(replay)")
            #expect(result["identical_weights"] as? Bool == true, "member \(member): \(replay)")
            #expect(result["experiment"] as? String == "quad-replay-\(member)")
        }
        let text = try await pbt(["schedule", "quad", "--member", "0"], in: directory).stdout
        #expect(text.contains("schedule of member 0's weights in quad"))
        let list = try await pbt(["list"], in: directory).stdout
        #expect(list.contains("quad ") && list.contains("quad-replay-3"))
        let again = try await pbt(
            ["replay", "quad", "--member", "1", "--as", "quad-replay-1", "--quiet"], in: directory
        ).stdout
        #expect(again.contains("identical"), "a second replay finds the first one done")
    }
}
