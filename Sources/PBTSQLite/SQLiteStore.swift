import Foundation
import GRDB
import PBTStore
import Synchronization

/// A `PopulationStore` in one SQLite file: the embedded default (`runs/<experiment>.sqlite`).
///
/// - **One process works on a store.** A store opened to work on (`create`, the default) holds
///   the file's lock (`PATH-lock`) until closed: another `SQLiteStore`, here or in another
///   process, is refused with a message naming the file. Any number of stores opened only to
///   read (`create: false`: `pbt status`, reports, the dashboard) may look at the file
///   meanwhile. (Workers in many processes share a PostgreSQL store.)
/// - **Memory first, file behind.** The store works on the population in memory (loaded from
///   the file on first use of an experiment, its leases dropped: their workers are gone) and
///   answers every call from there; `SQLiteWriter` writes the changes to the file a few
///   milliseconds later, a batch at a time, each batch one transaction holding the population
///   as it was after one commit. Ready points cost microseconds, not a transaction each.
/// - **Durability.** The file is in WAL mode with `synchronous = NORMAL`. Killed at any moment
///   (`kill -9`), the file holds the population as it was after some commit that returned at
///   most a few milliseconds earlier, never part of a commit; resumed, a run goes on from
///   there exactly as an uninterrupted run did. `flush()` and `close()` wait until every
///   returned commit is in the file; a power loss or OS crash may lose the last few batches
///   but never corrupts the file.
/// - **Checkpoints** are stored with their SHA-256 and verified on every read: as BLOBs below
///   `CheckpointPayload.fileThreshold` (16 MiB), above it as files named by their SHA-256 in
///   `PATH-checkpoints/` beside the database (`checkpointFiles`), each synced before the batch
///   that names it is written; the row keeps the digest and size. Identical states share a file.
///   A file no row names any more (retention dropped it, or the process died between writing
///   it and the batch) is removed after the batch that deleted its last row, and when the store
///   is opened to work on.
/// - **Numbers.** Scores are SQLite REALs (IEEE doubles, ±infinity included) and read back bit
///   for bit; hyperparameters are JSON with round-trip number formatting.
public final class SQLiteStore: PopulationStore {
    /// The database file.
    public let path: String
    /// Checkpoints kept per member besides those a member points to.
    public let keep: Int
    /// Where checkpoints of `CheckpointPayload.fileThreshold` bytes or more are kept:
    /// `PATH-checkpoints/` (created when the first one is saved).
    public let checkpointFiles: CheckpointDirectory
    /// A `DatabasePool` (reads beside the writer) for stores opened to work on; a
    /// single-connection `DatabaseQueue` for stores opened only to read (a pool writes to the
    /// file when it opens one without a `-wal` file).
    let pool: any DatabaseWriter
    /// The population this store works on and its writer; nil when opened only to read.
    let work: Work?

    /// What a store opened to work on holds beside the file.
    final class Work: Sendable {
        let ownership: SQLiteOwnership
        let memory: InMemoryStore
        let writer: SQLiteWriter
        /// Serializes reading experiments from the file into `memory`.
        let loading = Mutex(())

        init(ownership: SQLiteOwnership, memory: InMemoryStore, writer: SQLiteWriter) {
            self.ownership = ownership
            self.memory = memory
            self.writer = writer
        }
    }

    /// How long a write waits for another process's transaction before giving up.
    public static let busyTimeout: TimeInterval = 30

    /// Opens the store at `path`, creating the file and its schema when it does not exist.
    ///
    /// Nothing is written unless the file is absent, empty, or a swift-pbt store.
    /// - Parameters:
    ///   - path: the SQLite file; its directory must exist.
    ///   - create: false to open only an existing, complete swift-pbt store to read, and never
    ///     create, migrate or change it (for commands that only read: then nothing is written
    ///     and no lock is taken).
    ///   - keep: checkpoints kept per member besides those a member points to (at least 1).
    ///   - now: the clock for leases and records (injected by tests).
    /// - Throws: `StoreError.unavailable` naming the path when the directory is missing, the
    ///   file or directory is read-only, the file is not a SQLite database, belongs to another
    ///   program, or was written by a newer swift-pbt; with `create`, when another store works
    ///   on the file; with `create` false, also when the file is missing, empty, or holds no
    ///   complete swift-pbt store.
    public init(
        path: String, keep: Int = 2, create: Bool = true, now: @escaping @Sendable () -> Date = Date.init
    ) throws {
        self.path = path
        self.keep = max(1, keep)
        let files = CheckpointDirectory(path: path + "-checkpoints")
        checkpointFiles = files
        try SQLitePreflight(path: path, mustExist: !create).check()
        var configuration = Configuration()
        configuration.busyMode = .timeout(Self.busyTimeout)
        configuration.label = "PBTStore"
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        guard create else {
            do {
                pool = try DatabaseQueue(path: path, configuration: configuration)
            } catch {
                throw StoreError(.unavailable, "cannot open the SQLite store '\(path)': \(Self.describe(error))")
            }
            work = nil
            return
        }
        let ownership = try SQLiteOwnership(store: path)
        do {
            let pool = try DatabasePool(path: path, configuration: configuration)
            try SQLiteSchema.migrator.migrate(pool)
            files.removeStaging()
            files.sweep(keeping: try Self.fileDigests(pool))
            let memory = InMemoryStore(keep: keep, now: now, files: files, owning: false)
            memory.reserveCheckpoints(
                from: try pool.read { db in
                    try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'checkpoint'") ?? 0
                } + 1)
            self.pool = pool
            work = Work(
                ownership: ownership, memory: memory,
                writer: SQLiteWriter(pool: pool, memory: memory, path: path, files: files))
        } catch {
            ownership.release()
            throw StoreError(.unavailable, "cannot open the SQLite store '\(path)': \(Self.describe(error))")
        }
    }

    deinit {
        work?.writer.close()
        work?.ownership.release()
    }

    /// Where workers write checkpoint files before committing them, so that committing moves
    /// them in with a `rename`; nil for a store opened only to read.
    public var checkpointStaging: String? { work == nil ? nil : checkpointFiles.path }

    /// The SHA-256 of every checkpoint the file keeps as a file.
    static func fileDigests(_ pool: some DatabaseReader) throws -> Set<String> {
        Set(try pool.read { db in try String.fetchAll(db, sql: "SELECT sha256 FROM checkpoint WHERE in_file = 1") })
    }

    /// Writes what is left, closes the file's connections now (and removes the `-wal` and `-shm`
    /// files when no other process has the file open) and gives up the lock; later calls fail.
    /// A store is also closed when released.
    /// - Throws: `StoreError.unavailable` when the last changes could not be written.
    public func close() throws {
        let failure = work?.writer.close()
        defer { work?.ownership.release() }
        do {
            // Readers first: the last connection to close removes the WAL only if it may
            // write, and reader connections are read-only.
            (pool as? DatabasePool)?.releaseMemory()
            try pool.close()
            removeLeftoverWAL()
        } catch {
            throw StoreError(.unavailable, "cannot close the SQLite store '\(path)': \(Self.describe(error))")
        }
        if let failure { throw failure }
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

    /// Runs `body` in one read transaction, concurrent with writes.
    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        let result: Result<T, any Error> = await withCheckedContinuation { continuation in
            pool.asyncRead { access in
                continuation.resume(returning: Result { try body(access.get()) })
            }
        }
        return try translatingErrors { try result.get() }
    }

    /// Runs `body`; SQLite errors become `StoreError.unavailable` naming the file, others pass
    /// unchanged (a `decide` closure's own error, a `StoreError`).
    func translatingErrors<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as DatabaseError {
            throw StoreError(.unavailable, "SQLite store '\(path)': \(Self.describe(error))")
        }
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
