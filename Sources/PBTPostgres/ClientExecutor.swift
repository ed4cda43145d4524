import Dispatch

/// A task executor with one serial dispatch queue of its own, where the connection pool's
/// background work runs: outside the cooperative thread pool, so that training that keeps
/// every core busy cannot stall the pool (and with it a worker's heartbeat).
@available(macOS 15.0, *)
final class ClientExecutor: TaskExecutor {
    private let queue = DispatchQueue(label: "pbt.postgres.pool")

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        queue.async { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
