import Foundation
import PBTTestSupport
import Testing

/// `pbt delete NAME` and `pbt run FILE --fresh`: an experiment and everything stored of it go,
/// so a changed experiment file can start again.
@Suite("CLI: delete and run --fresh")
struct DeleteCommandTests {
    @Test func deleteRemovesTheExperimentAndLeavesTheOthers() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = ["--store", "sqlite:store.sqlite"]
        try directory.write("a.yaml", quadraticExperiment(name: "a", population: 2, steps: 8, interval: 4))
        try directory.write("b.yaml", quadraticExperiment(name: "b", population: 2, steps: 8, interval: 4))
        try await pbt(["run", "a.yaml", "--quiet", "--workers", "1"] + store, in: directory)
        try await pbt(["run", "b.yaml", "--quiet", "--workers", "1"] + store, in: directory)

        // One worker: the count of scores is the same on every run (with two, a member that copies
        // a donor further on skips a ready point, depending on timing).
        let output = try await pbt(["delete", "a"] + store, in: directory)
        #expect(
            output.stdout.contains("deleted experiment 'a' from sqlite:store.sqlite: 2 members, 4 scores"),
            "\(output.stdout)")
        try await refuse(
            ["status", "a"] + store, in: directory, mentioning: ["no experiment named 'a'", "it holds: b"])
        #expect(try await pbt(["status", "b"] + store, in: directory).stdout.contains("b"))
        try await refuse(
            ["delete", "a"] + store, in: directory, mentioning: ["no experiment named 'a'", "it holds: b"])
        try await refuse(["delete", "absent"], in: directory, mentioning: ["runs/absent.sqlite", "does not exist"])
        // The name is free again.
        try await pbt(["run", "a.yaml", "--quiet", "--workers", "1"] + store, in: directory)
    }

    @Test func freshRestartsAChangedExperimentFile() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("q.yaml", quadraticExperiment(name: "q", population: 2, steps: 8, interval: 4))
        try await pbt(["run", "q.yaml", "--quiet"], in: directory)
        try directory.write("q.yaml", quadraticExperiment(name: "q", population: 3, steps: 12, interval: 4))
        try await refuse(["run", "q.yaml", "--quiet"], in: directory, mentioning: ["population"], sameBytes: false)

        let fresh = try await pbt(["run", "q.yaml", "--fresh"], in: directory)
        #expect(fresh.stderr.contains("--fresh: deleted experiment 'q'"), "\(fresh.stderr)")
        #expect(!fresh.stderr.contains("resuming"))
        let status = try await pbt(["status", "q", "--json"], in: directory)
        let members = try #require(
            (try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])?["members"]
                as? [[String: Any]])
        #expect(members.count == 3 && members.allSatisfy { $0["step"] as? Int == 12 })
        // --fresh on a store without the experiment just runs it.
        try directory.write("n.yaml", quadraticExperiment(name: "n", population: 2, steps: 4, interval: 4))
        try await pbt(["run", "n.yaml", "--fresh", "--quiet"], in: directory)
    }

    @Test func aStoreInUseIsNotDeletedUnder() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write(
            "long.yaml", quadraticExperiment(name: "long", population: 2, steps: 10_000_000, interval: 4))
        let running = try PBTProcess(["run", "long.yaml", "--workers", "1", "--quiet"], in: directory.url)
        running.stop()
        var started = false
        while !started, running.isRunning {
            await running.run(for: .milliseconds(50))
            started = try await PBTProcess.run(["status", "long"], in: directory.url).status == 0
        }
        #expect(started)
        let output = try await PBTProcess.run(["delete", "long", "--force"], in: directory.url)
        #expect(output.status != 0 && output.stderr.contains("in use by another process"), "\(output.stderr)")
        running.kill()
        await running.waitForExit()
        #expect(try await PBTProcess.run(["status", "long"], in: directory.url).status == 0)
    }
}
