import Foundation
import PBTSQLite
import PBTStore
import PBTTestSupport
import Testing

/// `interval: {seconds: S}` and `stop:` through the command line: refusals that write nothing,
/// what `pbt run`, `pbt status` and the report say about a stopped run, and `kill -9` of a
/// time-based run.
@Suite("CLI: time-based intervals and stop rules")
struct StopCommandTests {
    private func experiment(_ name: String, steps: Int, interval: String, extra: String = "") -> String {
        quadraticExperiment(name: name, population: 4, steps: steps, interval: 4)
            .replacingOccurrences(of: "interval: 4", with: "interval: \(interval)") + extra
    }

    @Test func badIntervalsAndStopRulesAreRefusedNamingTheFieldAndWritingNothing() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let cases = [
            ("4\nstop: {speed: 3}", ["bad.yaml", "stop.speed", "allowed: score, seconds, plateau"]),
            ("4\nstop: {seconds: -5}", ["stop.seconds", "must be a number of seconds > 0, got -5"]),
            ("4\nstop: {score: .nan}", ["stop.score", "expected a finite number"]),
            (
                "4\nstop: {plateau: {window: 0, min_delta: 0.1}}",
                ["stop.plateau.window", "must be in 1...1000000000, got 0"]
            ),
            ("{seconds: 0}", ["interval.seconds", "must be a number of seconds > 0, got 0"]),
            ("{seconds: 2, steps: 4}", ["interval", "needs exactly one of steps, seconds"]),
        ]
        for (interval, words) in cases {
            try directory.write("bad.yaml", experiment("bad", steps: 100, interval: interval))
            try await refuse(["run", "bad.yaml", "--quiet"], in: directory, mentioning: words, sameBytes: false)
            #expect(
                !FileManager.default.fileExists(atPath: directory.path + "/runs"), "nothing written for \(interval)")
        }
    }

    @Test func aScoreTargetStopsTheRunAndEveryViewSaysWhy() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write(
            "target.yaml", experiment("target", steps: 1_000_000, interval: "100", extra: "stop: {score: 0.5}\n"))
        let run = try await pbt(["run", "target.yaml", "--workers", "2", "--quiet"], in: directory)
        #expect(run.stdout.contains("stopped early by rule score: member "), "\(run.stdout)")
        #expect(run.stdout.contains("reached the target score 0.5 at step "))
        let json = try await pbt(["run", "target.yaml", "--quiet", "--json"], in: directory)
        #expect(json.stdout.contains(#""stop":{"at":"#) && json.stdout.contains(#""rule":"score""#), "\(json.stdout)")
        let status = try await pbt(["status", "target"], in: directory)
        #expect(status.stdout.contains("stopped early by rule score: member "), "\(status.stdout)")
        let export = try await pbt(["export", "target", "--format", "json"], in: directory)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(export.stdout.utf8)) as? [String: Any])
        let stop = try #require(document["stop"] as? [String: Any], "\(export.stdout.prefix(300))")
        #expect(stop["rule"] as? String == "score")
        #expect((stop["detail"] as? String)?.contains("reached the target score 0.5") == true)
        #expect((stop["time"] as? Double).map { $0 > 1.7e9 } == true)
        #expect(document["run_seconds"] == nil, "measured only with a seconds rule")
        try await pbt(["report", "target", "--out", "report.html"], in: directory)
        let html = try String(contentsOfFile: directory.path + "/report.html", encoding: .utf8)
        #expect(html.contains("stopped by") && html.contains("reached the target score 0.5"))
    }

    /// Once recorded, a time-based ready point is a step like any other: `kill -9` keeps every
    /// committed one as it was, and the resumed run finishes every member at its budget.
    @Test func aKilledTimeBasedRunKeepsItsReadyPointsAndFinishes() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write(
            "timed.yaml",
            experiment("timed", steps: 1_000_000, interval: "{seconds: 0.02}", extra: "synchronous: true\n"))
        let run = ["run", "timed.yaml", "--workers", "2", "--quiet", "--store", "sqlite:timed.sqlite"]
        let path = directory.path + "/timed.sqlite"
        let process = try PBTProcess(run, in: directory.url)
        process.stop()
        var before: [ScoreRecord] = []
        while process.isRunning, before.count < 8 {
            await process.run(for: .milliseconds(50))
            if FileManager.default.fileExists(atPath: path), let store = try? SQLiteStore(path: path, create: false) {
                before = (try? await store.scores(of: "timed")) ?? []
                try? store.close()
            }
        }
        process.kill()
        await process.waitForExit()
        let store = try SQLiteStore(path: path, create: false)
        before = try await store.scores(of: "timed")
        try store.close()
        try await pbt(run, in: directory)
        let reader = try SQLiteStore(path: path, create: false)
        let after = try await reader.scores(of: "timed")
        #expect(Array(after.prefix(before.count)) == before, "the committed ready points are kept as they were")
        #expect(try await reader.members(of: "timed").allSatisfy { $0.status == .done && $0.step == 1_000_000 })
        #expect(after.allSatisfy { (1...1_000_000).contains($0.step) })
        #expect(Set(after.map(\.step)).count > 3, "ready where the time ran out")
    }
}
