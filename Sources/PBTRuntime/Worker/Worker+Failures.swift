import Foundation
import PBT
import PBTStore

/// An error thrown by a trainable or a workload (not by the store): the member's training
/// failed. The worker counts it and goes on; see `Worker.maxFailures`.
public struct TrainingFailure: Error, CustomStringConvertible {
    /// What the trainable threw.
    public let underlying: any Error

    /// The underlying error's description.
    public var description: String { String(describing: underlying) }

    /// Whether training again cannot help (see `RecurringFailure`): the member fails at once.
    var recurs: Bool { (underlying as? any RecurringFailure)?.recurs ?? false }
}

/// An error a trainable throws that may be the same whatever the retry: a program that does
/// not read the experiment's hyperparameters will not read them the next time either.
public protocol RecurringFailure: Error {
    /// Whether this failure would happen again on a restart.
    var recurs: Bool { get }
}

extension Worker {
    /// Runs trainable code, turning what it throws into a `TrainingFailure` (cancellation
    /// stays cancellation).
    func training<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as CancellationError {
            throw error
        } catch let error as TrainingFailure {
            throw error
        } catch {
            throw TrainingFailure(underlying: error)
        }
    }

    /// `metrics` checked against `Metrics`' rules and the member's hyperparameter names.
    /// - Throws: `MetricsError` naming the member, its step and the metric.
    static func checked(_ metrics: Metrics, of member: MemberRecord, at step: Int) throws -> Metrics {
        guard !metrics.isEmpty else { return metrics }
        do {
            return try Metrics.validated(metrics.values, hyperparameterNames: member.hyperparameters.values.keys)
        } catch let error as MetricsError {
            throw MetricsError(error.code, "member \(member.slot) at step \(step): \(error.message)")
        }
    }

    /// Counts the failure in the store and reports it on standard error: the member resumes
    /// from its last committed checkpoint, or is marked failed past `maxFailures` — at once
    /// when the failure would recur — and leaves any synchronous round it held up.
    func recordFailure(of member: Int, _ failure: TrainingFailure) async throws {
        let allowed = failure.recurs ? 0 : maxFailures
        let decider = Decider(scheduler: scheduler)
        let record = try await retrying("failure record of member \(member)") {
            try await store.recordFailure(
                experiment: experiment, member: member, worker: name, maxFailures: allowed,
                scoreWindow: scheduler.scoreWindow, historyRows: scheduler.explore.historyRows
            ) {
                decider.updates(leaving: member, in: $0)
            }
        }
        let outcome =
            record.status == .failed
            ? "member \(member) is marked failed after \(record.failures) failure\(record.failures == 1 ? "" : "s")"
                + (failure.recurs ? " (retrying cannot help)" : "") + "; the experiment goes on without it"
            : """
            failure \(record.failures) of at most \(maxFailures + 1); member \(member) \
            restarts from its last checkpoint (step \(record.step))
            """
        log("pbt: \(failure)\npbt: \(outcome)")
    }
}
