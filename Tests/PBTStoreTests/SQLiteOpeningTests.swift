import Foundation
import GRDB
import PBT
import PBTTestSupport
import Testing

@testable import PBTSQLite
@testable import PBTStore

/// Opening SQLite files: what is refused, with which message, and that nothing is written.
@Suite("SQLite: opening")
struct SQLiteOpeningTests {
    /// The file's bytes and whether its `-wal` and `-shm` companions exist.
    private func snapshot(_ path: String) -> (Data?, Bool, Bool) {
        let files = FileManager.default
        return (
            files.contents(atPath: path), files.fileExists(atPath: path + "-wal"),
            files.fileExists(atPath: path + "-shm")
        )
    }

    private func expectRefusal(_ path: String, mentioning words: [String]) async {
        let before = snapshot(path)
        let error = await expectStoreError(.unavailable) { _ = try SQLiteStore(path: path) }
        #expect(error?.message.contains(path) == true, "\(error?.message ?? "")")
        for word in words {
            #expect(error?.message.contains(word) == true, "\(error?.message ?? "") should mention \(word)")
        }
        let after = snapshot(path)
        #expect(after.0 == before.0, "the file was changed")
        #expect(
            after.1 == before.1 && after.2 == before.2,
            "-wal/-shm before \(before.1) \(before.2), after \(after.1) \(after.2)")
    }

    @Test func aMissingDirectoryIsReportedAndNotCreated() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path + "/absent/store.sqlite"
        await expectRefusal(path, mentioning: ["does not exist", "mkdir"])
        #expect(!FileManager.default.fileExists(atPath: directory.path + "/absent"))
    }

    @Test func aReadOnlyFileIsReported() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path + "/store.sqlite"
        do {
            let store = try SQLiteStore(path: path)
            try await store.makeExperiment()
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: path)
        await expectRefusal(path, mentioning: ["read-only"])
    }

    @Test func aFileThatIsNotADatabaseIsReported() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path + "/garbage.sqlite"
        try Data("these bytes are not a SQLite database, just text.\n".utf8).write(to: URL(fileURLWithPath: path))
        await expectRefusal(path, mentioning: ["not a SQLite database"])
    }

    @Test func aDatabaseOfAnotherProgramIsReported() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path + "/other.sqlite"
        do {
            let queue = try DatabaseQueue(path: path)
            try await queue.write { try $0.execute(sql: "CREATE TABLE invoice (id INTEGER PRIMARY KEY)") }
            try queue.close()
        }
        await expectRefusal(path, mentioning: ["another program", "invoice"])
    }

    @Test func aNewerSchemaVersionIsReported() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path + "/store.sqlite"
        do {
            let store = try SQLiteStore(path: path)
            try await store.makeExperiment()
            try await store.pool.write { db in
                try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99 from the future')")
            }
            try store.close()
        }
        await expectRefusal(path, mentioning: ["newer", "v99 from the future"])
    }

    @Test func aNewFileIsInWALModeWithForeignKeys() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLiteStore(path: directory.path + "/store.sqlite")
        let (journal, synchronous, foreignKeys) = try await store.pool.read { db in
            (
                try String.fetchOne(db, sql: "PRAGMA journal_mode"), try Int.fetchOne(db, sql: "PRAGMA synchronous"),
                try Bool.fetchOne(db, sql: "PRAGMA foreign_keys")
            )
        }
        #expect(journal == "wal")
        #expect(foreignKeys == true)
        let writerSynchronous = try await store.pool.write { try Int.fetchOne($0, sql: "PRAGMA synchronous") }
        #expect(writerSynchronous == 1)  // NORMAL
        #expect(synchronous == 1)
    }

    @Test func theSchemaRefusesRowsWithoutTheirExperimentOrMember() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLiteStore(path: directory.path + "/store.sqlite")
        try await store.makeExperiment(population: 1)
        await #expect(throws: DatabaseError.self) {
            try await store.pool.write { db in
                try db.execute(
                    sql:
                        "INSERT INTO score (experiment, member, step, score, hyperparameters) VALUES (1, 5, 0, 0, '{}')"
                )
            }
        }
        await #expect(throws: DatabaseError.self) {
            try await store.pool.write { db in
                try db.execute(sql: "UPDATE member SET checkpoint = 42 WHERE slot = 0")
            }
        }
        await #expect(throws: DatabaseError.self) {
            try await store.pool.write { db in try db.execute(sql: "UPDATE member SET status = 'lost' WHERE slot = 0") }
        }
    }
}
