import Foundation
import GRDB
import PBT
import PBTTestSupport
import Testing

@testable import PBTSQLite
@testable import PBTStore

/// A file written before metrics and record times (schema v2) stays readable as it is, by
/// commands that only read, and is upgraded in place by the next store that works on it.
@Suite("SQLite: files from before metrics")
struct SQLiteLegacyTests {
    /// A v2 file holding experiment `old` with one score and one event.
    static func makeVersion2File(at path: String) throws {
        let queue = try DatabaseQueue(path: path)
        try SQLiteSchema.migrator.migrate(queue, upTo: "v2 checkpoints kept as files")
        try queue.write { db in
            try db.execute(
                sql: """
                    INSERT INTO experiment (id, name, population, configuration, created) \
                    VALUES (1, 'old', 1, '{}', 1700000000);
                    INSERT INTO member (experiment, slot, step, status, hyperparameters, initial_hyperparameters, score)
                        VALUES (1, 0, 10, 'ready', '{"lr":0.1}', '{"lr":0.1}', 0.5);
                    INSERT INTO score (experiment, member, step, score, hyperparameters) \
                    VALUES (1, 0, 10, 0.5, '{"lr":0.1}');
                    INSERT INTO event (experiment, sequence, member, step, donor, donor_step, hyperparameters_before,
                        hyperparameters_after, mutations) VALUES (1, 1, 0, 10, 0, 10, '{"lr":0.1}', '{"lr":0.1}', '[]');
                    """)
        }
        try queue.close()
    }

    @Test func aVersion2FileIsReadWithoutMetricsOrTimesThenUpgraded() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path + "/old.sqlite"
        try Self.makeVersion2File(at: path)
        let expected = ScoreRecord(member: 0, step: 10, score: 0.5, hyperparameters: Hyperparameters(["lr": 0.1]))
        do {
            let reader = try SQLiteStore(path: path, create: false)
            #expect(try await reader.scores(of: "old") == [expected])
            #expect(try await reader.events(of: "old").map(\.recordedAt) == [nil])
            try reader.close()
        }
        let applied = try await DatabaseQueue(path: path).read { try SQLiteSchema.migrator.appliedIdentifiers($0) }
        #expect(!applied.contains(SQLiteSchema.metricsAndTimes), "reading wrote to the file")

        let clock = TestClock()
        let store = try SQLiteStore(path: path, now: { clock.now })
        #expect(try await store.scores(of: "old") == [expected])
        let member = try await store.claimMember("old")
        var point = point("old", member: member.slot, step: 20, score: 0.75)
        point.metrics = Metrics(["loss": 0.25])
        _ = try await store.commit(point, scoreWindow: 1) { _ in [] }
        try store.close()
        let reader = try SQLiteStore(path: path, create: false)
        let scores = try await reader.scores(of: "old")
        #expect(scores.map(\.metrics) == [.none, Metrics(["loss": 0.25])])
        #expect(scores.map(\.recordedAt) == [nil, clock.now])
    }
}
