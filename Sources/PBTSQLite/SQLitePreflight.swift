import Foundation
import GRDB
import PBTStore

/// Checks made before a SQLite store is opened for writing, so that a file that is not ours,
/// not writable, or from a newer version is refused with a clear message and left untouched.
struct SQLitePreflight {
    let path: String
    /// Whether the file must already hold a complete swift-pbt store (commands that only read).
    var mustExist = false

    /// Throws `StoreError.unavailable` naming the path and the fix, or returns when the store
    /// may be opened for writing.
    func check() throws {
        let files = FileManager.default
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard files.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw failure(
                """
                its directory '\(directory)' does not exist; create it (mkdir -p '\(directory)') or choose another path
                """
            )
        }
        guard writable(directory) else {
            throw failure(
                "its directory '\(directory)' is read-only (SQLite needs to write '-wal' and '-shm' files beside it)")
        }
        guard files.fileExists(atPath: path, isDirectory: &isDirectory) else {
            if mustExist { throw failure("the file does not exist") }
            return
        }
        guard !isDirectory.boolValue else {
            throw failure("it is a directory; name a file, e.g. '\(path)/store.sqlite'")
        }
        guard files.isReadableFile(atPath: path) else {
            throw failure("the file is not readable (check its permissions)")
        }
        guard writable(path) else { throw failure("the file is read-only; make it writable (chmod u+w) or copy it") }
        // The file is only ever opened through SQLite: closing any other descriptor of it
        // would drop the POSIX locks this process's SQLite connections hold on it.
        let size = (try? files.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0
        if size == 0 {
            if mustExist { throw failure("the file is empty: it holds no swift-pbt store") }
            return
        }
        try inspectSchema()
    }

    /// Refuses databases of other programs and of newer swift-pbt versions, reading only.
    ///
    /// The connection is read-write but only reads: a read-only connection to a WAL database
    /// would leave `-wal` and `-shm` files behind, while the last read-write connection to
    /// close removes them.
    private func inspectSchema() throws {
        // Wait for a lock another connection holds (a `pbt status` reading, a process
        // recovering the WAL after a crash) as the store itself does, instead of failing.
        var configuration = Configuration()
        configuration.busyMode = .timeout(SQLiteStore.busyTimeout)
        let migrator = SQLiteSchema.migrator
        let verdict: String?
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            verdict = try queue.read { db -> String? in
                let tables = try String.fetchAll(
                    db, sql: "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
                if tables.isEmpty { return mustExist ? "it holds no swift-pbt store (no tables)" : nil }
                guard tables.contains("grdb_migrations") else {
                    return
                        """
                        it is a SQLite database of another program (tables: \(tables.prefix(5).joined(separator: ", ")))
                        """
                }
                if try migrator.hasBeenSuperseded(db) {
                    let known = Set(migrator.migrations)
                    let unknown = try migrator.appliedIdentifiers(db).subtracting(known).sorted()
                    return
                        "it was written by a newer swift-pbt (unknown schema version "
                        + "\(unknown.joined(separator: ", "))); "
                        + "upgrade pbt to open it"
                }
                let pending = Set(migrator.migrations).subtracting(try migrator.appliedIdentifiers(db))
                if mustExist, !pending.isSubset(of: SQLiteSchema.readableWithout) {
                    return "it was written by an older swift-pbt; run 'pbt run' on it once to upgrade the file"
                }
                return nil
            }
            try queue.close()
        } catch let error as DatabaseError where error.resultCode == .SQLITE_NOTADB {
            throw failure("it is not a SQLite database (another kind of file, or damaged)")
        } catch {
            throw failure("it cannot be read as a SQLite database: \(SQLiteStore.describe(error))")
        }
        if let verdict { throw failure(verdict) }
    }

    /// Whether `path` may be written: permitted to this process and not marked read-only for
    /// everyone (a root process ignores permission bits; the user's intent still counts).
    private func writable(_ path: String) -> Bool {
        guard FileManager.default.isWritableFile(atPath: path) else { return false }
        let permissions = (try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?
            .intValue
        return permissions.map { $0 & 0o222 != 0 } ?? true
    }

    private func failure(_ reason: String) -> StoreError {
        StoreError(.unavailable, "cannot open the SQLite store '\(path)': \(reason)")
    }
}
