import Foundation
import PBT
import PostgresNIO
import Synchronization
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
                try await store.withConnection { connection in
                    let logger = store.logger
                    _ = try await connection.query(
                        "SELECT * FROM pbt_commit_begin(1, \(member.slot), 'w', 1)", logger: logger
                    ).collect()
                    let result = try await second.store.advance(step: 10, score: 2)
                    #expect(result.member.step == 10)
                    _ = try await connection.query("SELECT pg_advisory_unlock_all()", logger: logger).collect()
                }
                let result = try await store.commit(point(member: member.slot, step: 10, score: 1), scoreWindow: 1) {
                    _ in []
                }
                #expect(result.member.step == 10, "the first schema's commit goes on once its lock is free")
            }
        }
    }
}

/// A database written by an earlier swift-pbt is brought up to date when a store opens it.
@Suite("PostgreSQL: upgrades")
struct PostgresUpgradeTests {
    /// Schema v6 (before the per-schema commit lock), then a store of this version: migration
    /// v7 replaces the commit functions, and a commit's decision sees where each member last
    /// copied a donor, read by `pbt_commit_begin` itself now.
    @Test(.enabled(if: PostgresTestServer.url != nil, "PBT_TEST_POSTGRES_URL is not set (.ci/run sets it)"))
    func aVersion6SchemaUpgradesAndCommits() async throws {
        let schema = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        let location = try PostgresLocation(url: try #require(PostgresTestServer.url(adding: "schema=\(schema)")))
        var configuration = PostgresClient.Configuration(
            host: location.host, port: location.port, username: location.user, password: location.password,
            database: location.database, tls: .disable)
        configuration.options.additionalStartupParameters = location.startupParameters
        let client = PostgresClient(configuration: configuration)
        let version6 = Array(PostgresSchema.migrations.prefix { !$0.id.hasPrefix("v7") })
        #expect(version6.count == 6)
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { await client.run() }
            try await client.withConnection { connection in
                try await PostgresMigrator(location: location, logger: Logger(label: "test"), migrations: version6)
                    .migrate(connection)
            }
            group.cancelAll()
        }
        let store = PostgresStore(location, keep: 2, connections: 2)
        defer { store.close() }
        do {
            try await store.makeExperiment(population: 2)
            let first = try await store.advance(step: 10, score: 1)
            try await store.advance(step: 10, score: 2) { state in
                [
                    MemberUpdate(
                        slot: 0, step: 10, status: .ready, hyperparameters: Hyperparameters(["lr": 0.3]),
                        checkpoint: state.members[1].checkpoint,
                        event: ExploitEvent(
                            sequence: 0, member: 0, step: 10, donor: 1, donorStep: 10,
                            before: state.members[0].hyperparameters, after: Hyperparameters(["lr": 0.3]), mutations: []
                        ))
                ]
            }
            #expect(first.member.slot == 0)
            let seen = Mutex<[Int?]>([])
            try await store.advance(step: 20, score: 3) { state in
                seen.withLock { $0 = state.lastExploitSteps }
                return []
            }
            #expect(seen.withLock { $0 } == [10, nil])
            let applied = try await store.withConnection { connection in
                try await connection.query("SELECT id FROM pbt_migration ORDER BY id", logger: store.logger)
                    .collect().map { try $0.decode(String.self) }
            }
            #expect(applied.count == PostgresSchema.migrations.count)
        } catch {
            try? await store.dropSchemaForTests()
            throw error
        }
        try await store.dropSchemaForTests()
    }
}

/// Rows are read by column name: a missing column or a value of another type is an error
/// naming the column, not a crash or a value from the wrong column.
@Suite("PostgreSQL: rows read by column name")
struct PostgresNamedColumnsTests {
    @Test(.enabled(if: PostgresTestServer.url != nil, "PBT_TEST_POSTGRES_URL is not set (.ci/run sets it)"))
    func columnsAreFoundByNameAndErrorsNameThem() async throws {
        try await StoreFixture.with(.postgres) { fixture in
            let store = try #require(fixture.store as? PostgresStore)
            let rows = try await store.withConnection { connection in
                try await connection.query(
                    "SELECT 'x'::text AS name, 7::bigint AS count, NULL::float8 AS score", logger: store.logger
                )
                .collect()
            }
            let column = NamedColumns(try #require(rows.first), context: "test row")
            #expect(try column("count", as: Int.self) == 7)
            #expect(try column("name", as: String.self) == "x")
            #expect(try column("score", as: Double?.self) == nil)
            #expect(throws: StoreError.self) { try column("slot", as: Int.self) }
            do {
                _ = try column("name", as: Int.self)
                Issue.record("a text column read as an integer must throw")
            } catch let error as StoreError {
                #expect("\(error)".contains("column 'name' does not hold a value of type Int"), "\(error)")
            }
        }
    }
}
