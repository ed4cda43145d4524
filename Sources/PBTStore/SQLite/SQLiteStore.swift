import Foundation
import GRDB

/// A `PopulationStore` in one SQLite file: the embedded default (`runs/<experiment>.sqlite`),
/// shared by any number of workers in one process or in several processes on one machine.
///
/// - **Durability.** The file is in WAL mode with `synchronous = NORMAL`: a commit that
///   returned survives the process being killed (`kill -9`) at any moment; a power loss or OS
///   crash may lose the last few commits but never corrupts the file.
/// - **Transactions.** Every method is one transaction. Writes begin `IMMEDIATE` (GRDB's
///   `write`), so a claim is a compare-and-set; writers in other processes wait up to
///   `busyTimeout` for the lock instead of failing.
/// - **Cancellation.** A call is not interrupted by task cancellation: a commit that started
///   completes (or fails) as a whole.
/// - **Checkpoints** are stored as BLOBs with their SHA-256, verified on every read.
/// - **Numbers.** Scores are SQLite REALs (IEEE doubles, ±infinity included) and read back bit
///   for bit; hyperparameters are JSON with round-trip number formatting.
public final class SQLiteStore: PopulationStore {
    /// The database file.
    public let path: String
    /// Checkpoints kept per member besides those a member points to.
    public let keep: Int
    /// A `DatabasePool` (concurrent reads beside the writer) for stores that may be created;
    /// a single-connection `DatabaseQueue` for existing stores opened by commands that only
    /// read (a pool writes to the file when it opens one without a `-wal` file).
    let pool: any DatabaseWriter
    let now: @Sendable () -> Date

    /// How long a write waits for another process's transaction before giving up.
    public static let busyTimeout: TimeInterval = 30

    /// Opens the store at `path`, creating the file and its schema when it does not exist.
    ///
    /// Nothing is written unless the file is absent, empty, or a swift-pbt store.
    /// - Parameters:
    ///   - path: the SQLite file; its directory must exist.
    ///   - create: false to open only an existing, complete swift-pbt store and never create
    ///     or migrate one (for commands that only read: then nothing is written).
    ///   - keep: checkpoints kept per member besides those a member points to (at least 1).
    ///   - now: the clock for leases and records (injected by tests).
    /// - Throws: `StoreError.unavailable` naming the path when the directory is missing, the
    ///   file or directory is read-only, the file is not a SQLite database, belongs to another
    ///   program, or was written by a newer swift-pbt; with `create` false, also when the file
    ///   is missing, empty, or holds no complete swift-pbt store.
    public init(
        path: String, keep: Int = 2, create: Bool = true, now: @escaping @Sendable () -> Date = Date.init
    ) throws {
        self.path = path
        self.keep = max(1, keep)
        self.now = now
        try SQLitePreflight(path: path, mustExist: !create).check()
        var configuration = Configuration()
        configuration.busyMode = .timeout(Self.busyTimeout)
        configuration.label = "PBTStore"
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        do {
            if create {
                let pool = try DatabasePool(path: path, configuration: configuration)
                try SQLiteSchema.migrator.migrate(pool)
                self.pool = pool
            } else {
                pool = try DatabaseQueue(path: path, configuration: configuration)
            }
        } catch {
            throw StoreError(.unavailable, "cannot open the SQLite store '\(path)': \(Self.describe(error))")
        }
    }

    /// Closes the file's connections now (and removes the `-wal` and `-shm` files when no other
    /// process has the file open); later calls fail. A store is also closed when released.
    public func close() throws {
        do {
            // Readers first: the last connection to close removes the WAL only if it may
            // write, and reader connections are read-only.
            (pool as? DatabasePool)?.releaseMemory()
            try pool.close()
            removeLeftoverWAL()
        } catch {
            throw StoreError(.unavailable, "cannot close the SQLite store '\(path)': \(Self.describe(error))")
        }
    }

    /// A reader connection released by a read that just finished may close a moment after the
    /// writer, and, being read-only, leave the `-wal` and `-shm` files behind; the last
    /// read-write connection to close removes them. Opens and closes one, briefly, until they
    /// are gone (a live connection in another process keeps them, as it should).
    private func removeLeftoverWAL() {
        for attempt in 0..<20 where FileManager.default.fileExists(atPath: path + "-wal") {
            if attempt > 0 { usleep(1000) }
            guard let queue = try? DatabaseQueue(path: path) else { return }
            try? queue.close()
        }
    }

    /// Runs `body` in one write transaction (`BEGIN IMMEDIATE`), not interrupted by task
    /// cancellation.
    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        let result: Result<T, any Error> = await withCheckedContinuation { continuation in
            pool.asyncWrite(body) { _, result in continuation.resume(returning: result) }
        }
        return try result.mapError(translate).get()
    }

    /// Runs `body` in one read transaction, concurrent with writes.
    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        let result: Result<T, any Error> = await withCheckedContinuation { continuation in
            pool.asyncRead { access in
                continuation.resume(returning: Result { try body(access.get()) })
            }
        }
        return try result.mapError(translate).get()
    }

    /// SQLite errors become `StoreError.unavailable` naming the file; others pass unchanged
    /// (a `decide` closure's own error, a `StoreError`).
    private func translate(_ error: any Error) -> any Error {
        guard error is DatabaseError else { return error }
        return StoreError(.unavailable, "SQLite store '\(path)': \(Self.describe(error))")
    }

    /// The SQLite message of a database error, without statement arguments.
    static func describe(_ error: any Error) -> String {
        if let error = error as? DatabaseError {
            return error.message ?? "\(error.resultCode)"
        }
        if let error = error as? StoreError { return error.message }
        return "\(error)"
    }
}
