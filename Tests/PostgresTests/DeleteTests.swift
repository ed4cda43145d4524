import Foundation
import PBTPostgres
import PBTStore
import PBTTestSupport
import Testing

/// `pbt delete` and `pbt run --fresh` on PostgreSQL, where workers of other processes may be
/// training the experiment: refused while one holds a live lease, unless `--force`.
@Suite("PostgreSQL: delete under live workers", .serialized)
struct DeleteTests {
    @Test(.enabled(if: TestServer.url != nil, TestServer.skipReason), .timeLimit(.minutes(10)))
    func aLiveWorkerBlocksDeletionUntilForced() async throws {
        let scratch = try TemporaryDirectory()
        defer { scratch.remove() }
        let url = try TestServer.freshURL()
        let file = try workerExperiment(name: "busy", population: 2, steps: 10_000_000, in: scratch)
        let worker = try PBTProcess(["worker", "--store", url, "--file", file, "--workers", "1", "--lease", "60"])
        defer { worker.kill() }
        let store = PostgresStore(try PostgresLocation(url: url), connections: 2)
        defer { store.close() }

        // Stop the worker while it holds a member (its lease stays live for 60 s): once a lease
        // shows, stop it and look again (it may have committed in between). The worker runs
        // freely until then, however long a loaded machine takes to start it.
        var holding = false
        // 150 s were not enough beside the heartbeat test's blocked cores
        let deadline = ContinuousClock.now + .seconds(400)
        let leased = { (try? await store.members(of: "busy"))?.contains { $0.lease != nil } == true }
        while !holding, worker.isRunning, ContinuousClock.now < deadline {
            guard await leased() else {
                try await Task.sleep(for: .milliseconds(20))
                continue
            }
            worker.stop()
            try await Task.sleep(for: .milliseconds(50))  // statements sent before the stop land
            holding = await leased()
            if !holding { worker.resume() }
        }
        try #require(holding, "the worker never held a member:\n\(worker.log)")

        let refused = try PBTProcess(["delete", "busy", "--store", url])
        #expect(try await refused.wait() == 1)
        #expect(refused.log.contains("live leases on member"), "\(refused.log)")
        #expect(refused.log.contains("pbt delete busy --force"), "\(refused.log)")
        let fresh = try PBTProcess(["run", file, "--store", url, "--fresh", "--quiet"])
        #expect(try await fresh.wait() == 1)
        #expect(fresh.log.contains("live leases on member"), "\(fresh.log)")
        #expect(try await store.experiment(named: "busy") != nil)

        let forced = try PBTProcess(["delete", "busy", "--store", url, "--force"])
        #expect(try await forced.wait() == 0, "\(forced.log)")
        #expect(forced.log.contains("deleted experiment 'busy'"), "\(forced.log)")
        #expect(try await store.experiment(named: "busy") == nil)
        worker.kill()
        _ = try await worker.wait()
    }
}
