/// Where a worker runs its store calls (claims, commits, releases).
///
/// The composition root chooses, because it knows which store it opened; the store contract
/// says nothing about threads.
public enum StoreCalls: Sendable, Hashable {
    /// On the store executor, one thread outside Swift's cooperative pool: for stores whose
    /// calls suspend on I/O (PostgreSQL). When training keeps every thread of the pool busy,
    /// the continuation of a claim or a commit could otherwise wait longer than the lease, and
    /// the lease would lapse in the middle of the call. The safe choice for any store.
    case onStoreExecutor
    /// In the worker's own task, saving a hop per call: for stores whose calls return without
    /// suspending, because they answer from this process's memory (`InMemoryStore`, a
    /// SQLite store this process works on), and whose leases live and die with this process.
    case inPlace
}
