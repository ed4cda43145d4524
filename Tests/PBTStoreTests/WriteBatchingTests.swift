import Foundation
import Testing

@testable import PBTSQLite
@testable import PBTStore

/// Group commit's decisions, without a thread or a file: when a batch starts, what it covers,
/// whom it releases.
@Suite("SQLite writer: batching")
struct WriteBatchingTests {
    private let start = Date(timeIntervalSinceReferenceDate: 1_000)
    private let closed = StoreError(.unavailable, "closed")

    private func batching(backlogLimit: Int = 8) -> WriteBatching<String> {
        WriteBatching(pause: 0.002, backlogLimit: backlogLimit, closed: closed)
    }

    @Test("nothing counted: idle; a change is written at once the first time, then waits for the pause")
    func pauseAfterAWrite() {
        var batching = batching()
        #expect(batching.next(at: start) == .idle)
        batching.changed(commits: 1)
        #expect(batching.next(at: start) == .write(.init(target: 1, commits: 1)))
        _ = batching.finished(.init(target: 1, commits: 1), started: start, failure: nil)
        #expect(batching.next(at: start) == .idle && batching.backlog == 0)
        batching.changed(commits: 1)
        batching.changed()
        #expect(batching.next(at: start.addingTimeInterval(0.001)) == .pause(until: start.addingTimeInterval(0.002)))
        #expect(batching.next(at: start.addingTimeInterval(0.002)) == .write(.init(target: 3, commits: 1)))
    }

    @Test("a flush starts the batch at once and is released when a batch covers its changes, not before")
    func flushes() {
        var batching = batching()
        guard case .done = batching.flush("early") else {
            Issue.record("with nothing unwritten a flush returns at once")
            return
        }
        _ = batching.finished(.init(target: 0, commits: 0), started: start, failure: nil)
        batching.changed(commits: 1)
        guard case .waiting = batching.flush("a") else {
            Issue.record("a flush of an unwritten change waits")
            return
        }
        #expect(batching.next(at: start) == .write(.init(target: 1, commits: 1)), "no pause while someone waits")
        batching.changed(commits: 2)
        guard case .waiting = batching.flush("b") else {
            Issue.record("a second flush waits too")
            return
        }
        let first = batching.finished(.init(target: 1, commits: 1), started: start, failure: nil)
        #expect(first.done == ["a"] && first.failed.isEmpty, "b's change came after the batch started")
        #expect(batching.next(at: start) == .write(.init(target: 2, commits: 2)))
        let second = batching.finished(.init(target: 2, commits: 2), started: start, failure: nil)
        #expect(second.done == ["b"] && batching.backlog == 0)
    }

    @Test("a failed batch is final: waiting flushes fail with it, later calls too, and the thread stops")
    func failureIsFinal() {
        var batching = batching()
        batching.changed(commits: 3)
        _ = batching.flush("a")
        let failure = StoreError(.unavailable, "disk full")
        let released = batching.finished(.init(target: 1, commits: 3), started: start, failure: failure)
        #expect(released.done.isEmpty && released.failed == ["a"] && released.failure == failure)
        #expect(batching.next(at: start) == .stop)
        #expect(batching.backlog == 3, "nothing of the failed batch counts as written")
        guard case .failed(let later) = batching.flush("b") else {
            Issue.record("a flush after the failure throws it")
            return
        }
        #expect(later == failure)
        _ = batching.stopped()
        #expect(batching.writeFailure == failure && batching.failure == failure, "closing keeps the real failure")
    }

    @Test("closing writes what is counted without the pause, then stops; later calls fail as closed")
    func closing() {
        var batching = batching()
        batching.changed(commits: 1)
        _ = batching.finished(.init(target: 1, commits: 1), started: start, failure: nil)
        batching.changed(commits: 1)
        batching.close()
        #expect(batching.next(at: start) == .write(.init(target: 2, commits: 1)))
        _ = batching.finished(.init(target: 2, commits: 1), started: start, failure: nil)
        #expect(batching.next(at: start) == .stop)
        #expect(batching.failure == nil, "still writing until the thread ends")
        _ = batching.stopped()
        #expect(batching.failure == closed && batching.writeFailure == nil)
        guard case .failed = batching.flush("late") else {
            Issue.record("a flush after the close fails")
            return
        }
    }

    @Test("committing waits for the writer once the backlog of unwritten ready points reaches the limit")
    func backlog() {
        var batching = batching(backlogLimit: 3)
        batching.changed(commits: 2)
        batching.changed()
        #expect(!batching.isFull)
        batching.changed(commits: 1)
        #expect(batching.isFull)
        _ = batching.finished(.init(target: 3, commits: 3), started: start, failure: nil)
        #expect(!batching.isFull)
    }
}
