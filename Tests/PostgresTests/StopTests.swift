import Foundation
import PBTPostgres
import PBTStore
import PBTTestSupport
import Testing

/// Stop rules across worker processes sharing a PostgreSQL store: whichever process sees the
/// rule met records it once, and every process stops.
@Suite("PostgreSQL: stop rules across processes", .serialized)
struct StopTests {
    @Test(.enabled(if: TestServer.url != nil, TestServer.skipReason), .timeLimit(.minutes(5)))
    func aPlateauSeenByOneProcessStopsBoth() async throws {
        let scratch = try TemporaryDirectory()
        defer { scratch.remove() }
        let url = try TestServer.freshURL()
        let file = try workerExperiment(name: "flat", population: 4, steps: 100_000_000, in: scratch)
        let text =
            try String(contentsOfFile: file, encoding: .utf8)
            .replacingOccurrences(of: "interval: 4", with: "interval: {seconds: 0.01}")
            + "stop: {plateau: {window: 30, min_delta: 0.001}, seconds: 240}\n"
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        let workers = try (0..<2).map { _ in
            try PBTProcess(["worker", "--store", url, "--file", file, "--workers", "1", "--lease", "60"])
        }
        defer { for worker in workers { worker.kill() } }
        for worker in workers {
            #expect(try await worker.wait() == 0, "\(worker.log)")
            #expect(worker.log.contains("experiment 'flat' is stopped (plateau: "), "\(worker.log)")
        }
        let store = PostgresStore(try PostgresLocation(url: url), connections: 2)
        defer { store.close() }
        let record = try #require(try await store.experiment(named: "flat"))
        #expect(record.stop?.rule == "plateau" && (record.runSeconds ?? 0) > 0)
        let members = try await store.members(of: "flat")
        #expect(members.allSatisfy { $0.status == .ready && $0.lease == nil && $0.step < 100_000_000 })
        let claims = try await store.claims(of: "flat")
        #expect(claims.allSatisfy { $0.ended != nil }, "every claim ended")
        #expect(claims.filter { $0.outcome == .committed }.count == (try await store.scores(of: "flat")).count)
    }
}
