import Foundation
import PBTStore

/// How a worker retries store calls while the store is unreachable (a database restart, a
/// network partition): exponential backoff, bounded.
public struct RetryPolicy: Hashable, Sendable {
    /// The first pause.
    public var firstDelay: Duration
    /// The longest pause between attempts.
    public var maximumDelay: Duration
    /// How long to keep trying before the error stops the worker.
    public var giveUpAfter: Duration

    /// Creates a policy.
    public init(firstDelay: Duration, maximumDelay: Duration, giveUpAfter: Duration) {
        self.firstDelay = firstDelay
        self.maximumDelay = maximumDelay
        self.giveUpAfter = giveUpAfter
    }

    /// 0.1 s, doubling to 5 s, for at most 5 minutes.
    public static let standard = RetryPolicy(
        firstDelay: .milliseconds(100), maximumDelay: .seconds(5), giveUpAfter: .seconds(300))
}

extension Worker {
    /// Runs a store call on the store executor (see `onStoreExecutor`), retrying it with
    /// backoff while it fails with `StoreError.unreachable`; each retry is logged (store
    /// messages never hold a password).
    /// - Parameter what: the call, for the log (`claim`, `commit of member 3`…).
    func retrying<T: Sendable>(
        _ what: @autoclosure () -> String, _ body: @Sendable () async throws -> T
    ) async throws -> T {
        var delay = retry.firstDelay
        let start = ContinuousClock.now
        var attempt = 0
        while true {
            do {
                let value = try await onStoreExecutor(body)
                if attempt > 0 { log("pbt: worker \(name): \(what()) succeeded after \(attempt) retries") }
                return value
            } catch let error as StoreError where error.code == .unreachable {
                attempt += 1
                guard ContinuousClock.now - start < retry.giveUpAfter, !Task.isCancelled else { throw error }
                log("pbt: worker \(name): \(what()) failed: \(error.message); retry \(attempt) in \(delay)")
                try await Task.sleep(for: delay)
                delay = min(delay * 2, retry.maximumDelay)
            }
        }
    }
}

/// Writes a line to standard error: the default log of workers.
@Sendable func standardErrorLog(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
