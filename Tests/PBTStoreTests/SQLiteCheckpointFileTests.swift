import Foundation
import GRDB
import PBT
import PBTTestSupport
import Testing

@testable import PBTSQLite
@testable import PBTStore

/// A SQLite store's checkpoint files: beside the database, named in rows, read back after
/// reopening, garbage removed when opened, and v1 files upgraded.
@Suite("SQLite: checkpoint files")
struct SQLiteCheckpointFileTests {
    @Test func aLargeCheckpointIsAFileBesideTheDatabaseThatSurvivesReopening() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path + "/store.sqlite"
        let state = ConformanceLargeCheckpointTests.state(member: 0, step: 10)
        let id: Int64
        do {
            let store = try SQLiteStore(path: path)
            #expect(store.checkpointStaging == path + "-checkpoints")
            try await store.makeExperiment(population: 1)
            id = try await ConformanceLargeCheckpointTests.commitStaged(store, member: 0, step: 10, bytes: state)
                .checkpoint
            try store.close()
        }
        let sha256 = ContentDigest.hex(state)
        #expect(FileManager.default.fileExists(atPath: path + "-checkpoints/" + sha256))
        let size = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        #expect(size < 1 << 20)
        let reader = try SQLiteStore(path: path, create: false)
        let row = try reader.pool.read { db in
            try Row.fetchOne(
                db, sql: "SELECT sha256, size, bytes IS NULL, in_file FROM checkpoint WHERE id = ?", arguments: [id])
        }
        #expect(row?[0] == sha256 && row?[1] == state.count && row?[2] == true && row?[3] == true)
        #expect(try await reader.checkpoint(of: "exp", id: id).payload.bytes() == state)
        try reader.close()
        let store = try SQLiteStore(path: path)
        #expect(try await store.checkpoint(of: "exp", id: id).payload.bytes() == state)
        try store.close()
    }

    @Test func openingRemovesFilesNoRowNamesAndDeadStagingFiles() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path + "/store.sqlite"
        let state = ConformanceLargeCheckpointTests.state(member: 0, step: 10)
        do {
            let store = try SQLiteStore(path: path)
            try await store.makeExperiment(population: 1)
            try await ConformanceLargeCheckpointTests.commitStaged(store, member: 0, step: 10, bytes: state)
            try store.close()
        }
        // What a process killed between writing a file and committing it leaves behind.
        let files = path + "-checkpoints/"
        let orphan = String(repeating: "ab", count: 32)
        for name in [orphan, ".staging-dead"] {
            #expect(FileManager.default.createFile(atPath: files + name, contents: Data([1, 2, 3])))
        }
        let store = try SQLiteStore(path: path)
        defer { try? store.close() }
        #expect(try FileManager.default.contentsOfDirectory(atPath: files) == [ContentDigest.hex(state)])
    }

    @Test func aVersion1FileIsUpgradedKeepingItsCheckpointsAndIDs() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path + "/store.sqlite"
        let queue = try DatabaseQueue(path: path)
        try SQLiteSchema.migrator.migrate(
            queue, upTo: "v1 experiments, members, scores, events, checkpoints, fallbacks")
        try await queue.write { db in
            try db.execute(
                sql: """
                    INSERT INTO experiment (id, name, population, configuration, created) VALUES (1, 'exp', 1, '{}', 0);
                    INSERT INTO member (experiment, slot, step, status, hyperparameters, initial_hyperparameters)
                        VALUES (1, 0, 0, 'ready', '{}', '{}');
                    INSERT INTO checkpoint (id, experiment, member, step, sha256, size, bytes)
                        VALUES (7, 1, 0, 10, ?, 3, x'010203');
                    DELETE FROM checkpoint WHERE id = 7;
                    INSERT INTO checkpoint (id, experiment, member, step, sha256, size, bytes)
                        VALUES (5, 1, 0, 10, ?, 3, x'010203');
                    UPDATE member SET checkpoint = 5, step = 10;
                    """,
                arguments: [ContentDigest.hex([1, 2, 3]), ContentDigest.hex([1, 2, 3])])
        }
        try queue.close()
        let store = try SQLiteStore(path: path)
        defer { try? store.close() }
        #expect(try await store.checkpoint(of: "exp", id: 5).payload == .bytes([1, 2, 3]))
        let next = try await store.pool.read { db in
            try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'checkpoint'")
        }
        #expect(next == 7)
    }
}
