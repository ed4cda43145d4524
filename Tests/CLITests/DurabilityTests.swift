import Foundation
import PBTSQLite
import PBTStore
import PBTTestSupport
import Testing

/// `kill -9` at several points, then `pbt run` again: the experiment finishes, and with one
/// worker and the same seed its scores, events and members equal an uninterrupted run's.
@Suite("CLI: durability")
struct DurabilityTests {
    static let population = 4
    static let steps = 20_000
    static let interval = 4

    @Test func killedRunsResumeToTheSameResultAsAnUninterruptedRun() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write(
            "exp.yaml",
            quadraticExperiment(name: "dur", population: Self.population, steps: Self.steps, interval: Self.interval))
        let run = ["run", "exp.yaml", "--workers", "1", "--quiet", "--json"]

        async let reference = pbt(run + ["--store", "sqlite:whole.sqlite"], in: directory)
        let killed = run + ["--store", "sqlite:killed.sqlite"]
        // Kill once almost at once (perhaps before the experiment exists), then at growing progress.
        let early = try PBTProcess(killed, in: directory.url)
        try await Task.sleep(for: .milliseconds(30))
        early.kill()
        await early.waitForExit()
        var reached: [Double] = []
        for fraction in [0.15, 0.4, 0.65, 0.9] {
            let process = try PBTProcess(killed, in: directory.url)
            reached.append(
                try await waitForProgress(fraction, path: directory.path + "/killed.sqlite", process: process))
            process.kill()
            await process.waitForExit()
        }
        let resumed = try await pbt(killed, in: directory)
        let whole = try await reference
        #expect(reached.count == 4 && reached == reached.sorted(), "progress at the kills: \(reached)")
        #expect(resumed.stdout == whole.stdout, "the summaries differ")

        let exports = try await (
            pbt(["export", "dur", "--format", "json", "--store", "sqlite:whole.sqlite"], in: directory),
            pbt(["export", "dur", "--format", "json", "--store", "sqlite:killed.sqlite"], in: directory)
        )
        let (expected, actual) = (try decode(exports.0.stdout), try decode(exports.1.stdout))
        #expect(expected.scores.count >= Self.population * Self.steps / Self.interval)
        #expect(actual.scores == expected.scores)
        #expect(actual.events == expected.events)
        #expect(actual.members == expected.members)
        #expect(!expected.events.isEmpty, "the experiment should exploit")
    }

    /// Lets the process run in slices of 50 ms until the store at `path` shows at least
    /// `fraction` of the budget trained, looking at the store (as `pbt status` would) while the
    /// process is stopped, so a loaded machine cannot let it finish between two looks; returns
    /// the fraction reached, with the process stopped at that moment.
    private func waitForProgress(_ fraction: Double, path: String, process: PBTProcess) async throws -> Double {
        let budget = Double(Self.population * Self.steps)
        process.stop()
        while process.isRunning {
            if FileManager.default.fileExists(atPath: path), let store = try? SQLiteStore(path: path, create: false) {
                defer { try? store.close() }
                if let members = try? await store.members(of: "dur"), !members.isEmpty {
                    let trained =
                        Double(members.reduce(0) { $0 + ($1.status == .done ? Self.steps : $1.step) }) / budget
                    if trained >= fraction { return trained }
                }
            }
            await process.run(for: .milliseconds(50))  // 10 % of the budget takes seconds
        }
        let output = try await process.finish()
        Issue.record(
            "pbt run ended (status \(output.status)) before reaching \(fraction) of the budget: \(output.stderr)")
        return 1
    }

    private struct Export: Decodable {
        var scores: [Score]
        var events: [Event]
        var members: [Member]
    }

    private struct Score: Decodable, Equatable {
        var member: Int
        var step: Int
        var score: Double
        var hyperparameters: [String: Double]
    }

    private struct Event: Decodable, Equatable {
        var sequence: Int
        var member: Int
        var step: Int
        var donor: Int
        var donor_step: Int
        var after: [String: Double]
    }

    private struct Member: Decodable, Equatable {
        var member: Int
        var status: String
        var step: Int
        var score: Double?
        var hyperparameters: [String: Double]
    }

    private func decode(_ text: String) throws -> Export {
        try JSONDecoder().decode(Export.self, from: Data(text.utf8))
    }
}
