import Foundation
import PBT
import Testing

@testable import PBTStore

/// An error a test's `decide` throws on purpose.
struct PlannedFailure: Error, Equatable {}

extension PopulationStore {
    /// Creates experiment `name` of `population` members with `lr = 0.1 × (slot + 1)`.
    @discardableResult
    func makeExperiment(
        _ name: String = "exp", population: Int = 3, configuration: String = #"{"seed":1}"#,
        createdAt: Date = Date(timeIntervalSince1970: 1_700_000_000)
    ) async throws -> Bool {
        try await create(
            ExperimentRecord(name: name, population: population, configuration: configuration, createdAt: createdAt),
            members: (0..<population).map { Hyperparameters(["lr": .number(0.1 * Double($0 + 1))]) })
    }

    /// Claims whatever member is next for `worker`, failing the test when none is claimable.
    func claimMember(
        _ experiment: String = "exp", worker: String = "w", lease: Duration = .seconds(60)
    ) async throws
        -> MemberRecord
    {
        let outcome = try await claim(experiment: experiment, worker: worker, lease: lease)
        guard case .claimed(let member) = outcome else {
            Issue.record("expected a claim, got \(outcome)")
            throw PlannedFailure()
        }
        return member
    }

    /// Claims the next member and commits it at `step` with `score` and no decision updates
    /// (or `decide`'s), returning the result.
    @discardableResult
    func advance(
        _ experiment: String = "exp", worker: String = "w", step: Int, score: Double, bytes: [UInt8]? = nil,
        decide: @escaping @Sendable (PopulationState) throws -> [MemberUpdate] = { _ in [] }
    ) async throws -> CommitResult {
        let member = try await claimMember(experiment, worker: worker)
        return try await commit(
            point(
                experiment, member: member.slot, worker: worker, step: step, score: score, bytes: bytes,
                hyperparameters: member.hyperparameters),
            scoreWindow: 4, decide: decide)
    }
}

/// A ready point with a 4 KB checkpoint derived from the member and step.
func point(
    _ experiment: String = "exp", member: Int, worker: String = "w", step: Int, score: Double, bytes: [UInt8]? = nil,
    hyperparameters: Hyperparameters = Hyperparameters(["lr": 0.1])
) -> ReadyPoint {
    ReadyPoint(
        experiment: experiment, member: member, worker: worker, step: step, score: score,
        hyperparameters: hyperparameters,
        checkpoint: bytes ?? (0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ member &* 7 &+ step) })
}

/// Runs `body`, expecting a `StoreError` with `code`; returns it.
@discardableResult
func expectStoreError(
    _ code: StoreError.Code, sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> Void
) async -> StoreError? {
    do {
        try await body()
        Issue.record("expected StoreError(.\(code)), nothing was thrown", sourceLocation: sourceLocation)
    } catch let error as StoreError {
        #expect(error.code == code, "\(error.message)", sourceLocation: sourceLocation)
        return error
    } catch {
        Issue.record("expected StoreError(.\(code)), got \(error)", sourceLocation: sourceLocation)
    }
    return nil
}
