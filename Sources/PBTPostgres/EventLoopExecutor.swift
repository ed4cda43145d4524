import PostgresNIO

/// A task executor on a NIO event loop, outside the cooperative thread pool.
///
/// Every PostgreSQL store of a process runs its connections, its connection pool and its calls
/// on one event loop: a call's statements resume on the thread where their replies arrive,
/// with no thread switch per statement, and training that keeps every core busy cannot stall
/// them.
final class EventLoopExecutor: TaskExecutor {
    /// The event loop.
    let loop: any EventLoop

    /// Creates an executor on `loop`.
    init(_ loop: any EventLoop) {
        self.loop = loop
    }

    /// The executor of every PostgreSQL store in the process, on an event loop of its own.
    static let shared = EventLoopExecutor(MultiThreadedEventLoopGroup(numberOfThreads: 1).next())

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        loop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
