import Foundation
import GRDB
import PBTStore
import Synchronization

/// Writes what a SQLite store's in-memory population changed to the file, on a thread of its
/// own, in batches (group commit): one transaction holds every change since the previous one.
/// When to write and whom a batch releases is `WriteBatching`'s; this class runs its steps.
///
/// A batch is read while the population is locked, so the file always goes from the state after
/// one commit to the state after a later one, all or nothing. A writer that fails keeps its
/// error and every later call of the store throws it: nothing after the last good batch is
/// written, and nothing before it is lost.
final class SQLiteWriter: @unchecked Sendable {  // `condition` guards every `var`; `images` guards itself.
    /// How long changes wait to be batched with later ones before the writer starts writing.
    static let pause: TimeInterval = 0.002
    /// How many ready points may wait to be written before committing waits for the writer.
    static let backlogLimit = 8192

    private let pool: DatabasePool
    private let memory: InMemoryStore
    private let path: String
    private let files: CheckpointDirectory
    /// The file's image of each experiment it holds that the population has loaded, and the
    /// experiments deleted from the population whose rows the next batch deletes.
    private let images = Mutex(Images())

    private struct Images {
        var flushed: [String: FlushedImage] = [:]
        var deleted: Set<String> = []
    }
    private let condition = NSCondition()
    private var batching: WriteBatching<CheckedContinuation<Void, any Error>>
    private var idle = false
    private var stopped = false
    /// Touched only by the writer's thread.
    private var texts = JSONTexts()

    /// Starts the writer of `memory` into `pool`, whose checkpoint files are in `files`.
    init(pool: DatabasePool, memory: InMemoryStore, path: String, files: CheckpointDirectory) {
        self.pool = pool
        self.memory = memory
        self.path = path
        self.files = files
        batching = WriteBatching(
            pause: Self.pause, backlogLimit: Self.backlogLimit,
            closed: StoreError(.unavailable, "the SQLite store '\(path)' is closed"))
        let thread = Thread { [self] in run() }
        thread.name = "pbt-sqlite-writer"
        thread.start()
    }

    /// Records that the file already holds `experiment` as `image` (an experiment just read
    /// from it): only later changes are written.
    func know(_ name: String, as image: FlushedImage) {
        images.withLock { $0.flushed[name] = image }
    }

    /// Records that the population no longer holds experiment `name` (deleted): the next batch
    /// deletes its rows, before it writes an experiment created again under that name.
    func forget(_ name: String) {
        images.withLock { images in
            images.flushed[name] = nil
            images.deleted.insert(name)
        }
        changed()
    }

    /// Counts a change of the population, `commits` of them ready points: it will be written
    /// with the next batch.
    func changed(commits: Int = 0) {
        condition.lock()
        batching.changed(commits: commits)
        if idle { condition.signal() }
        condition.unlock()
    }

    /// Throws the writer's failure, if it failed or was closed.
    func checkWriting() throws {
        condition.lock()
        defer { condition.unlock() }
        if let failure = batching.failure { throw failure }
    }

    /// Waits for the writer when more than `backlogLimit` commits wait to be written.
    func waitForRoom() async throws {
        if condition.withLock({ batching.isFull }) { try await flush() }
    }

    /// Waits until every change counted before this call is in the file.
    func flush() async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            condition.lock()
            defer { condition.unlock() }
            switch batching.flush(continuation) {
            case .done: continuation.resume()
            case .failed(let failure): continuation.resume(throwing: failure)
            case .waiting: condition.signal()
            }
        }
    }

    /// Writes what is left and stops the thread; later calls throw `unavailable`.
    /// - Returns: the writer's failure, if the last write (or an earlier one) failed; when
    ///   already closed, the failure every call throws.
    @discardableResult
    func close() -> StoreError? {
        condition.lock()
        defer { condition.unlock() }
        if stopped { return batching.failure }
        batching.close()
        condition.signal()
        while !stopped { condition.wait() }
        return batching.writeFailure
    }

    private func run() {
        condition.lock()
        loop: while true {
            switch batching.next(at: Date()) {
            case .idle:
                idle = true
                condition.wait()
                idle = false
            case .pause(let date):
                _ = condition.wait(until: date)
            case .write(let batch):
                condition.unlock()
                let started = Date()
                var failure: StoreError?
                do {
                    try writeBatch()
                } catch {
                    failure = StoreError(
                        .unavailable,
                        "cannot write to the SQLite store '\(path)': \(SQLiteStore.describe(error)); "
                            + "everything committed before the last \(batch.commits) ready points is in the file")
                }
                condition.lock()
                resume(batching.finished(batch, started: started, failure: failure))
            case .stop:
                break loop
            }
        }
        stopped = true
        resume(batching.stopped())
        condition.broadcast()
        condition.unlock()
    }

    /// Resumes the flushes a batch or the end released.
    private func resume(_ released: WriteBatching<CheckedContinuation<Void, any Error>>.Released) {
        for waiter in released.done { waiter.resume() }
        if let failure = released.failure { for waiter in released.failed { waiter.resume(throwing: failure) } }
    }

    /// Writes every experiment's changes since its image in one transaction, then moves the
    /// images on, and removes the checkpoint files that neither the file nor the population
    /// names any more when retention dropped some or experiments were deleted.
    private func writeBatch() throws {
        let (changes, deleted) = memory.withState { state in
            images.withLock { images in
                defer { images.deleted = [] }
                let changes = state.experiments.values.compactMap {
                    ExperimentChanges($0, since: images.flushed[$0.record.name])
                }
                return (changes, images.deleted)
            }
        }
        guard !changes.isEmpty || !deleted.isEmpty else { return }
        var texts = self.texts
        let ids = try pool.write { db in
            for name in deleted.sorted() { try SQLiteExperiment.delete(db, named: name) }
            return try changes.map { try $0.write(db, texts: &texts) }
        }
        self.texts = texts
        images.withLock { images in
            // An experiment deleted while this batch was written has no image any more: the
            // next batch deletes what this one wrote of it.
            for (change, id) in zip(changes, ids) where !images.deleted.contains(change.record.name) {
                var image = change.after
                image.id = id
                images.flushed[change.record.name] = image
            }
        }
        if !deleted.isEmpty || changes.contains(where: \.droppedFiles) {
            // Only this thread writes the file: its digests stay true while the population,
            // locked, adds those of commits not yet written and of files being adopted.
            let written = try SQLiteStore.fileDigests(pool)
            memory.withState { files.sweep(keeping: written.union($0.referencedFiles)) }
        }
    }
}
