import Foundation
import GRDB
import PBT
import PBTTestSupport
import Testing

@testable import PBTSQLite
@testable import PBTStore

/// Recording an experiment's run time and what stopped it: the same behaviour from every store.
@Suite("Conformance: stops and run time")
struct ConformanceStopTests {
    @Test(arguments: StoreKind.allCases)
    func runTimeOnlyGrowsAndTheFirstStopWins(kind: StoreKind) async throws {
        try await StoreFixture.with(kind) { fixture in
            let store = fixture.store
            try await store.makeExperiment()
            var record = try #require(try await store.experiment(named: "exp"))
            #expect(record.stop == nil && record.runSeconds == nil)
            record = try await store.recordRun(experiment: "exp", seconds: 5.5, stop: nil)
            #expect(record.runSeconds == 5.5 && record.stop == nil)
            record = try await store.recordRun(experiment: "exp", seconds: 3, stop: nil)
            #expect(record.runSeconds == 5.5)  // another process's older clock never lowers it
            let at = Date(timeIntervalSince1970: 1_700_000_100.5)
            let first = StopRecord(
                rule: "score", detail: "member 1 reached the target score 0.9 at step 40 (0.93)", at: at)
            record = try await store.recordRun(experiment: "exp", seconds: 7, stop: first)
            #expect(record.stop == first && record.runSeconds == 7)
            record = try await store.recordRun(
                experiment: "exp", seconds: nil, stop: StopRecord(rule: "plateau", detail: "x"))
            #expect(record.stop == first && record.runSeconds == 7)
            try await store.flush()
            let stored = try #require(try await store.experiment(named: "exp"))
            #expect(stored.stop == first && stored.runSeconds == 7)
            #expect(try await store.experiments().first?.stop == first)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func badRunRecordsAreRefusedAndChangeNothing(kind: StoreKind) async throws {
        try await StoreFixture.with(kind) { fixture in
            let store = fixture.store
            try await store.makeExperiment()
            let unknown = await expectStoreError(.invalid) {
                _ = try await store.recordRun(
                    experiment: "exp", seconds: nil, stop: StopRecord(rule: "speed", detail: "x"))
            }
            #expect(unknown?.message.contains("allowed: score, seconds, plateau") == true)
            for seconds in [-1, Double.nan, .infinity] {
                await expectStoreError(.invalid) {
                    _ = try await store.recordRun(experiment: "exp", seconds: seconds, stop: nil)
                }
            }
            await expectStoreError(.experimentNotFound) {
                _ = try await store.recordRun(experiment: "ghost", seconds: 1, stop: nil)
            }
            let record = try #require(try await store.experiment(named: "exp"))
            #expect(record.stop == nil && record.runSeconds == nil)
        }
    }

    @Test
    func aStopSurvivesReopeningTheSQLiteFile() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path + "/store.sqlite"
        let stop = StopRecord(
            rule: "seconds", detail: "the wall-time budget of 10.0 s ran out (10.2 s)",
            at: Date(timeIntervalSince1970: 1_700_000_000))
        do {
            let store = try SQLiteStore(path: path)
            try await store.makeExperiment()
            _ = try await store.recordRun(experiment: "exp", seconds: 10.25, stop: stop)
            try store.close()
        }
        let reader = try SQLiteStore(path: path, create: false)
        let record = try #require(try await reader.experiment(named: "exp"))
        #expect(record.stop == stop && record.runSeconds == 10.25)
    }

    /// A file written before the stop columns existed (schema v2) reads as before, with no stop,
    /// without being changed; opened to work on, it is migrated and takes a stop.
    @Test
    func aStoreWithoutTheStopColumnsStaysReadable() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path + "/old.sqlite"
        do {
            let queue = try DatabaseQueue(path: path)
            try SQLiteSchema.migrator.migrate(queue, upTo: "v2 checkpoints kept as files")
            try await queue.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO experiment (name, population, configuration, created) \
                        VALUES ('old', 1, '{}', 1700000000)
                        """
                )
                try db.execute(
                    sql: """
                        INSERT INTO member (experiment, slot, step, status, hyperparameters, initial_hyperparameters)
                        VALUES (1, 0, 0, 'ready', '{"lr":0.1}', '{"lr":0.1}')
                        """)
            }
            try queue.close()
        }
        do {
            let reader = try SQLiteStore(path: path, create: false)
            let record = try #require(try await reader.experiment(named: "old"))
            #expect(record.stop == nil && record.runSeconds == nil && record.population == 1)
            #expect(try await reader.members(of: "old").count == 1)
        }
        let applied = try await DatabaseQueue(path: path).read { db in try SQLiteSchema.migrator.appliedIdentifiers(db)
        }
        #expect(!applied.contains(SQLiteSchema.stopMigration))  // reading changed nothing
        let store = try SQLiteStore(path: path)
        let stop = StopRecord(rule: "plateau", detail: "d", at: Date(timeIntervalSince1970: 1_700_000_000))
        #expect(try await store.recordRun(experiment: "old", seconds: nil, stop: stop).stop == stop)
        try store.close()
        let reread = try await SQLiteStore(path: path, create: false).experiment(named: "old")
        #expect(reread?.stop == stop)
    }
}
