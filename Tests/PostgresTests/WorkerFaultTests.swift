import Foundation
import PBT
import PBTPostgres
import PBTStore
import PBTTestSupport
import Testing

/// `pbt worker` processes that die: their members go to the others after the lease, and the
/// experiment completes as if nothing happened.
@Suite("PostgreSQL: workers killed mid-run", .serialized)
struct WorkerFaultTests {
    @Test(.enabled(if: TestServer.url != nil, TestServer.skipReason), .timeLimit(.minutes(5)))
    func killedWorkersLoseTheirMembersAndTheExperimentCompletes() async throws {
        let scratch = try TemporaryDirectory()
        defer { scratch.remove() }
        let url = try TestServer.freshURL()
        let budget = 3200
        let file = try workerExperiment(name: "faults", population: 8, steps: budget, in: scratch)
        let lease = "1.5"
        var workers = [try PBTProcess(["worker", "--store", url, "--file", file, "--workers", "1", "--lease", lease])]
        for _ in 1..<4 {
            workers.append(
                try PBTProcess([
                    "worker", "--store", url, "--experiment", "faults", "--workers", "1", "--lease", lease, "--wait",
                    "60",
                ]))
        }
        let store = PostgresStore(try PostgresLocation(url: url), connections: 2)
        defer { store.close() }
        try await waitForCommits(store, atLeast: 40)
        // The moments of the faults: seeded, printed, and repeatable with PBT_CHAOS_SEED.
        let seed =
            ProcessInfo.processInfo.environment["PBT_CHAOS_SEED"].flatMap(UInt64.init)
            ?? UInt64.random(in: 0...UInt64(Int64.max))
        print("WorkerFaultTests: chaos seed \(seed) (rerun with PBT_CHAOS_SEED=\(seed))")
        var random = PBTRandom(seed: seed)

        // Two workers die at random moments while the experiment runs.
        var killed: [PBTProcess] = []
        for victim in [workers[1], workers[2]] {
            try await Task.sleep(for: .milliseconds(Int.random(in: 200...1200, using: &random)))
            let unfinished = try await store.members(of: "faults").contains { $0.status != .done }
            #expect(unfinished, "the experiment ended before the kill; make it longer")
            try await killWhileHolding(victim, store, random: &random)
            killed.append(victim)
        }
        // A worker joins later.
        try await Task.sleep(for: .milliseconds(Int.random(in: 200...800, using: &random)))
        let late = try PBTProcess([
            "worker", "--store", url, "--experiment", "faults", "--workers", "1", "--lease", lease,
        ])

        for survivor in [workers[0], workers[3], late] {
            let status = try await survivor.wait()
            #expect(status == 0, "a surviving worker failed:\n\(survivor.log)")
        }
        for victim in killed { _ = try await victim.wait() }
        try await RunChecks.finished(store, experiment: "faults", budget: budget)

        // Each killed worker died holding a member, which went to another worker: its lease
        // lapsed, or a worker on the same host saw the process gone and released it at once.
        let claims = try await store.claims(of: "faults")
        for victim in killed {
            let last = claims.filter { $0.worker.contains(":\(victim.pid)/") }.max { $0.started < $1.started }
            #expect(
                last?.outcome == .lapsed || last?.outcome == .released,
                "worker \(victim.pid)'s last claim was not taken over: \(String(describing: last))")
        }
    }

    /// Kills `victim` at a moment it holds a member: stops it, kills it if it holds one, else
    /// lets it go on a few milliseconds and tries again.
    private func killWhileHolding(_ victim: PBTProcess, _ store: PostgresStore, random: inout PBTRandom) async throws {
        let prefix = ":\(victim.pid)/"
        while victim.isRunning {
            victim.stop()
            try await Task.sleep(for: .milliseconds(50))  // statements sent before the stop land
            let claims = try await store.claims(of: "faults")
            if claims.contains(where: { $0.worker.contains(prefix) && $0.ended == nil }) {
                victim.kill()
                return
            }
            victim.resume()
            try await Task.sleep(for: .milliseconds(Int.random(in: 1...20, using: &random)))
        }
        Issue.record(
            "worker \(victim.pid) exited before it could be killed holding a member; make the experiment longer")
    }

    /// Waits until the experiment has at least `count` scores.
    private func waitForCommits(_ store: PostgresStore, atLeast count: Int) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if let scores = try? await store.scores(of: "faults"), scores.count >= count { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("the workers committed fewer than \(count) ready points in 60 s")
    }
}
