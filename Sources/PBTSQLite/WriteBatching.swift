import Foundation
import PBTStore

/// When `SQLiteWriter` writes a batch, and whom a written batch releases: group commit as a
/// state machine, without threads, locks or a file. The writer's thread asks ``next(at:)`` what
/// to do and performs it; callers report changes, flushes and the close.
///
/// Changes are counted; a batch writes every change counted when it starts. A batch starts
/// `pause` after the previous one started, so that changes arriving together share a
/// transaction, or at once when someone waits for it (a flush) or the writer is closing. A
/// failed batch is final: every waiting flush fails with it, and so does every later call.
struct WriteBatching<Waiter> {
    /// What the writer's thread does next.
    enum Step: Equatable {
        /// Nothing to write: sleep until something changes.
        case idle
        /// Changes wait to be batched with later ones: sleep until `date` or a signal.
        case pause(until: Date)
        /// Write a batch of every change counted so far, then report it with
        /// ``finished(_:started:failure:)``.
        case write(Batch)
        /// Closed with nothing left to write, or failed: the thread ends
        /// (``stopped()`` says whom that releases).
        case stop
    }

    /// A batch being written.
    struct Batch: Equatable {
        /// The change count the batch covers.
        var target: UInt64
        /// The ready points among its changes.
        var commits: Int
    }

    /// What a flush must do now.
    enum FlushOutcome {
        /// Return: every change counted before it is written.
        case done
        /// Throw the writer's failure.
        case failed(StoreError)
        /// Wait: the waiter is resumed when a batch covers its changes (or fails); wake the
        /// writer, which starts that batch at once.
        case waiting
    }

    /// Who a finished batch (or the end of the thread) releases.
    struct Released {
        /// Flushes whose changes are written: resume them.
        var done: [Waiter] = []
        /// Flushes that must throw `failure`.
        var failed: [Waiter] = []
        /// The writer's failure, if it failed.
        var failure: StoreError?
    }

    /// How long changes wait to be batched with later ones.
    let pause: TimeInterval
    /// How many ready points may wait to be written before committing waits for the writer.
    let backlogLimit: Int

    private(set) var changes: UInt64 = 0
    private(set) var written: UInt64 = 0
    /// Ready points counted and not yet written.
    private(set) var backlog = 0
    /// The failure of a batch, which stopped the writer.
    private(set) var writeFailure: StoreError?
    /// What every call throws: the failure of a batch, or `closed` once the writer stopped.
    var failure: StoreError? { writeFailure ?? (ended ? closed : nil) }
    /// What calls throw once the writer stopped without failing.
    let closed: StoreError
    private var waiters: [(change: UInt64, waiter: Waiter)] = []
    private var closing = false
    private var ended = false
    private var lastWrite = Date.distantPast

    /// A writer's batching with nothing counted yet; `closed` is what calls throw once the
    /// writer stopped without failing.
    init(pause: TimeInterval, backlogLimit: Int, closed: StoreError) {
        self.pause = pause
        self.backlogLimit = backlogLimit
        self.closed = closed
    }

    /// Counts a change, `commits` of them ready points.
    mutating func changed(commits: Int = 0) {
        changes += 1
        backlog += commits
    }

    /// Whether committing must wait for the writer (`backlogLimit` ready points unwritten).
    var isFull: Bool { backlog >= backlogLimit }

    /// A flush by `waiter` of every change counted so far.
    mutating func flush(_ waiter: Waiter) -> FlushOutcome {
        if let failure { return .failed(failure) }
        if written >= changes { return .done }
        waiters.append((changes, waiter))
        return .waiting
    }

    /// The store is closing: what is counted is written at once, then the thread stops.
    mutating func close() {
        closing = true
    }

    /// What the writer's thread does at `now`.
    func next(at now: Date) -> Step {
        if writeFailure != nil { return .stop }
        if written == changes { return closing ? .stop : .idle }
        let due = lastWrite.addingTimeInterval(pause)
        if waiters.isEmpty, !closing, due > now { return .pause(until: due) }
        return .write(Batch(target: changes, commits: backlog))
    }

    /// Records that `batch`, started at `started`, was written (`failure` nil) or failed.
    mutating func finished(_ batch: Batch, started: Date, failure: StoreError?) -> Released {
        lastWrite = started
        if let failure {
            writeFailure = failure
        } else {
            written = batch.target
            backlog -= batch.commits
        }
        return release()
    }

    /// The thread has ended (``next(at:)`` said `stop`): flushes still waiting are released,
    /// and from now on every call fails, with the writer's failure or as closed.
    mutating func stopped() -> Released {
        ended = true
        return release()
    }

    private mutating func release() -> Released {
        var released = Released(failure: failure)
        for entry in waiters {
            if entry.change <= written {
                released.done.append(entry.waiter)
            } else if failure != nil {
                released.failed.append(entry.waiter)
            }
        }
        waiters = failure == nil ? waiters.filter { $0.change > written } : []
        return released
    }
}
