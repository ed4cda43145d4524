import Foundation
import PBT
import PostgresNIO
import Testing

@testable import PBTPostgres
@testable import PBTStore

/// Advisory locks belong to the whole database: two schemas of one server must not share an
/// experiment's commit lock.
@Suite("PostgreSQL: a commit lock per schema")
struct PostgresCommitLockTests {
    /// Experiment "exp" has id 1 in both schemas. While a session holds the first schema's
    /// commit lock (`pbt_commit_begin` called, `pbt_commit_record` not yet), the second
    /// schema's commit completes; it would wait for the lock (and time out) if they shared it.
    @Test(.enabled(if: PostgresTestServer.url != nil, "PBT_TEST_POSTGRES_URL is not set (.ci/run sets it)"))
    func experimentsWithTheSameIdInTwoSchemasCommitIndependently() async throws {
        try await StoreFixture.with(.postgres) { first in
            try await StoreFixture.with(.postgres) { second in
                for fixture in [first, second] { try await fixture.store.makeExperiment(population: 1) }
                let store = try #require(first.store as? PostgresStore)
                let member = try await store.claimMember(worker: "w")
                try await store.read { connection in
                    let logger = store.logger
                    _ = try await connection.query(
                        "SELECT * FROM pbt_commit_begin(1, \(member.slot), 'w', 1)", logger: logger
                    ).collect()
                    let result = try await second.store.advance(step: 10, score: 2)
                    #expect(result.member.step == 10)
                    _ = try await connection.query("SELECT pg_advisory_unlock_all()", logger: logger).collect()
                }
                let result = try await store.commit(point(member: member.slot, step: 10, score: 1), scoreWindow: 1) { _ in [] }
                #expect(result.member.step == 10, "the first schema's commit goes on once its lock is free")
            }
        }
    }
}
