import Foundation
import GRDB
import PBT
import PBTTestSupport
import Synchronization
import Testing

@testable import PBTSQLite
@testable import PBTStore

/// A clock the tests move by hand.
final class TestClock: Sendable {
    private let time = Mutex(Date(timeIntervalSince1970: 1_700_000_000))

    /// The current time.
    var now: Date { time.withLock { $0 } }

    /// Moves the clock forward.
    func advance(by seconds: TimeInterval) {
        time.withLock { $0 = $0.addingTimeInterval(seconds) }
    }
}

/// The stores every conformance test runs against: PostgreSQL (checkpoints in the database,
/// and in files) only when `PBT_TEST_POSTGRES_URL` names a server.
enum StoreKind: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case memory
    case sqlite
    case postgres
    case postgresFiles

    var testDescription: String { rawValue }

    static var allCases: [StoreKind] {
        PostgresTestServer.url == nil ? [.memory, .sqlite] : [.memory, .sqlite, .postgres, .postgresFiles]
    }
}

/// A fresh store with its clock, and a way to corrupt one of its checkpoints.
struct StoreFixture: Sendable {
    let store: any PopulationStore
    let clock: TestClock
    /// The SQLite file, for SQLite stores.
    let path: String?
    let corruptor: @Sendable (String, Int64) async throws -> Void

    /// Flips one bit of checkpoint `id`'s stored bytes, leaving its recorded SHA-256.
    func corrupt(experiment: String, checkpoint id: Int64) async throws {
        try await corruptor(experiment, id)
    }

    /// Runs `body` on a fresh store of `kind`, then removes its files.
    static func with(
        _ kind: StoreKind, keep: Int = 2, _ body: (StoreFixture) async throws -> Void
    ) async throws {
        let clock = TestClock()
        switch kind {
        case .memory:
            let store = InMemoryStore(keep: keep, now: { clock.now })
            try await body(
                StoreFixture(store: store, clock: clock, path: nil) { try store.corruptCheckpoint(of: $0, id: $1) })
        case .sqlite:
            let directory = try TemporaryDirectory()
            defer { directory.remove() }
            let path = directory.path + "/store.sqlite"
            let store = try SQLiteStore(path: path, keep: keep, now: { clock.now })
            try await body(
                StoreFixture(store: store, clock: clock, path: path) { experiment, id in
                    // The file and the population it works on in memory, alike.
                    try await store.flush()
                    try store.work?.memory.corruptCheckpoint(of: experiment, id: id)
                    try await store.pool.write { db in
                        let inFile = try Bool.fetchOne(
                            db, sql: "SELECT in_file FROM checkpoint WHERE id = ?", arguments: [id])
                        guard inFile == false else { return }  // the file, corrupted above
                        guard
                            let data = try Data.fetchOne(
                                db, sql: "SELECT bytes FROM checkpoint WHERE id = ?", arguments: [id])
                        else { throw StoreError(.checkpointMissing, "no checkpoint \(id) to corrupt") }
                        var bytes = [UInt8](data)
                        bytes[0] ^= 0x01
                        try db.execute(
                            sql: "UPDATE checkpoint SET bytes = ? WHERE id = ?", arguments: [Data(bytes), id])
                    }
                })
        case .postgres, .postgresFiles:
            try await withPostgres(files: kind == .postgresFiles, keep: keep, clock: clock, body)
        }
    }
}
