import Foundation
import PBTStore
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The right to work on a SQLite store: an exclusive `flock` on `PATH-lock`, held by one
/// `SQLiteStore` at a time, in this process or any other, and dropped by the kernel when the
/// process dies. Commands that only read the file need none.
final class SQLiteOwnership: Sendable {
    /// The lock file.
    let path: String
    private let descriptor: Mutex<Int32?>

    /// Takes the lock, or throws `StoreError.unavailable` naming the store when another store
    /// holds it.
    init(store: String) throws {
        path = store + "-lock"
        while true {
            let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
            guard descriptor >= 0 else {
                throw StoreError(
                    .unavailable,
                    """
                    cannot open the SQLite store '\(store)': cannot create '\(path)': \
                    \(String(cString: strerror(errno)))
                    """
                )
            }
            guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
                close(descriptor)
                throw StoreError(
                    .unavailable,
                    "the SQLite store '\(store)' is in use by another process (a `pbt run` or `pbt worker` on it): "
                        + "one process at a time works on a SQLite store; wait for it to finish, stop it, or use "
                        + "PostgreSQL (--store postgres://USER@HOST:PORT/DB) for workers in several processes")
            }
            // The holder before us may have removed the file between our open and our lock:
            // then we hold a lock on a file nobody else will see, and start again.
            var opened = stat(), named = stat()
            if fstat(descriptor, &opened) == 0, stat(path, &named) == 0, opened.st_ino == named.st_ino,
                opened.st_dev == named.st_dev
            {
                self.descriptor = Mutex(descriptor)
                return
            }
            close(descriptor)
        }
    }

    /// Removes the lock file and gives up the lock (once; later calls do nothing).
    func release() {
        descriptor.withLock { descriptor in
            guard let open = descriptor else { return }
            unlink(path)
            close(open)
            descriptor = nil
        }
    }
}
