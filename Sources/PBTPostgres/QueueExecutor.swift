import Dispatch

/// A task executor with one serial dispatch queue of its own, outside the cooperative thread
/// pool: training that keeps every core busy cannot stall what runs here (the connection
/// pool's background work, and the store's calls with it a worker's heartbeat).
final class QueueExecutor: TaskExecutor {
    private let queue: DispatchQueue

    /// Creates an executor on a new queue named `label`.
    init(label: String) {
        queue = DispatchQueue(label: label)
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        queue.async { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
