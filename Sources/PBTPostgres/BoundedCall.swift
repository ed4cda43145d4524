import Foundation
import PBTStore
import Synchronization

/// Runs store calls in tasks of their own on the store's executor, and stops waiting for one
/// that has not answered within a time limit.
///
/// A connection can die under a query in a way PostgresNIO never reports (a query sent on a
/// connection the server just closed waits forever); the caller then gets
/// `StoreError.unreachable` and retries on another connection, instead of hanging.
struct BoundedCall: Sendable {
    /// The longest a call may take.
    let limit: Duration
    /// Where calls run: outside the cooperative pool, which training may keep busy.
    let executor: any TaskExecutor

    /// Runs `body`; throws `StoreError.unreachable` (naming `what`) after `limit`. Cancelling
    /// the caller cancels `body`.
    func run<T: Sendable>(
        _ what: @autoclosure @escaping @Sendable () -> String, _ body: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        let outcome = Outcome<T>()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                outcome.wait(continuation)
                let work = Task(executorPreference: executor) {
                    do { outcome.finish(.success(try await body())) } catch { outcome.finish(.failure(error)) }
                }
                let timer = Task(executorPreference: executor) { [limit] in
                    try await Task.sleep(for: limit)
                    outcome.finish(.failure(StoreError(.unreachable, "\(what()) got no answer within \(limit)")))
                    work.cancel()
                }
                outcome.onFinish { timer.cancel() }
                outcome.onCancel { work.cancel() }
            }
        } onCancel: {
            outcome.cancel()
        }
    }
}

/// The one result of a bounded call: the first of the body's result, the timeout, or
/// cancellation resumes the caller; the others are dropped.
private final class Outcome<T: Sendable>: Sendable {
    private struct State {
        var continuation: CheckedContinuation<T, any Error>?
        var finished = false
        var cancelled = false
        var whenFinished: (@Sendable () -> Void)?
        var whenCancelled: (@Sendable () -> Void)?
    }

    private let state = Mutex(State())

    func wait(_ continuation: CheckedContinuation<T, any Error>) {
        state.withLock { $0.continuation = continuation }
    }

    /// Resumes the caller with `result` unless it was resumed already.
    func finish(_ result: Result<T, any Error>) {
        let (continuation, then) = state.withLock {
            state -> (CheckedContinuation<T, any Error>?, (@Sendable () -> Void)?) in
            guard !state.finished else { return (nil, nil) }
            state.finished = true
            defer { state.continuation = nil }
            return (state.continuation, state.whenFinished)
        }
        continuation?.resume(with: result)
        then?()
    }

    /// Runs `action` once the caller is resumed (at once if it is).
    func onFinish(_ action: @escaping @Sendable () -> Void) {
        register(action, in: \.whenFinished, unless: \.finished)
    }

    /// Runs `action` when the caller is cancelled (at once if it was).
    func onCancel(_ action: @escaping @Sendable () -> Void) {
        register(action, in: \.whenCancelled, unless: \.cancelled)
    }

    /// Keeps `action` in `slot`, or runs it at once when `happened` already holds.
    private func register(
        _ action: @escaping @Sendable () -> Void, in slot: WritableKeyPath<State, (@Sendable () -> Void)?>,
        unless happened: KeyPath<State, Bool>
    ) {
        let now = state.withLock { state -> Bool in
            if state[keyPath: happened] { return true }
            state[keyPath: slot] = action
            return false
        }
        if now { action() }
    }

    /// The caller was cancelled: the body is cancelled, and the caller waits for its result
    /// (a cancelled call does nothing or rolls back).
    func cancel() {
        let action = state.withLock { state -> (@Sendable () -> Void)? in
            state.cancelled = true
            return state.whenCancelled
        }
        action?()
    }
}
