import Foundation
import PBTStore

/// An error thrown by a trainable or a workload (not by the store): the member's training
/// failed. The worker counts it and goes on; see `Worker.maxFailures`.
public struct TrainingFailure: Error, CustomStringConvertible {
    /// What the trainable threw.
    public let underlying: any Error

    /// The underlying error's description.
    public var description: String { String(describing: underlying) }
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

    /// Counts the failure in the store and reports it on standard error: the member resumes
    /// from its last committed checkpoint, or is marked failed past `maxFailures`.
    func recordFailure(of member: Int, _ failure: TrainingFailure) async throws {
        let record = try await retrying("failure record of member \(member)") {
            try await store.recordFailure(experiment: experiment, member: member, worker: name, maxFailures: maxFailures)
        }
        let outcome =
            record.status == .failed
            ? "member \(member) is marked failed after \(record.failures) failures; the experiment goes on without it"
            : "failure \(record.failures) of at most \(maxFailures + 1); member \(member) restarts from its last checkpoint (step \(record.step))"
        FileHandle.standardError.write(Data("pbt: \(failure)\npbt: \(outcome)\n".utf8))
    }
}
