import Foundation
import PBT
import Testing

@testable import PBTStore

/// Metrics and record times: stored with each score (and each event's time), read back equal,
/// refused with nothing recorded when they break `Metrics`' rules.
@Suite("Conformance: metrics and record times")
struct ConformanceMetricsTests {
    static let metrics = Metrics(["train/loss": 0.3125, "test_accuracy": 0.9, "tiny": 1e-300, "big": -1.5e300])

    @Test(arguments: StoreKind.allCases)
    func metricsAndTimesAreStoredWithTheScoreAndTheEvent(kind: StoreKind) async throws {
        try await StoreFixture.with(kind) { fixture in
            let store = fixture.store
            try await store.makeExperiment(population: 2)
            let start = fixture.clock.now
            let first = try await store.claimMember()
            let committed = try await store.commit(
                Self.point(first.slot, step: 10, metrics: Self.metrics), scoreWindow: 1
            ) { _ in [] }
            fixture.clock.advance(by: 2.5)
            let second = try await store.claimMember()
            _ = try await store.commit(Self.point(second.slot, step: 10, metrics: .none), scoreWindow: 1) { state in
                let before = state.members[1].hyperparameters
                return [
                    MemberUpdate(
                        slot: 1, step: 10, status: .ready, hyperparameters: Hyperparameters(["lr": 0.2]),
                        checkpoint: committed.checkpoint,
                        event: ExploitEvent(
                            sequence: 0, member: 1, step: 10, donor: 0, donorStep: 10, before: before,
                            after: Hyperparameters(["lr": 0.2]),
                            mutations: [Mutation("lr", .resampled, clamped: false)]))
                ]
            }
            try await store.flush()
            let scores = try await store.scores(of: "exp")
            #expect(scores.map(\.metrics) == [Self.metrics, .none])
            #expect(scores.map(\.recordedAt) == [start, start.addingTimeInterval(2.5)])
            let events = try await store.events(of: "exp")
            #expect(events.map(\.recordedAt) == [start.addingTimeInterval(2.5)])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func badMetricsAreRefusedAndNothingIsRecorded(kind: StoreKind) async throws {
        try await StoreFixture.with(kind) { fixture in
            let store = fixture.store
            try await store.makeExperiment(population: 1)
            let cases: [(Metrics, String)] = [
                (Metrics(["score": 1]), "metric 'score' collides with a built-in field"),
                (Metrics(["lr": 1]), "metric 'lr' has the name of a hyperparameter"),
                (Metrics(["loss": .nan]), "metric 'loss' is nan"),
                (Metrics(["loss": .infinity]), "metric 'loss' is inf"),
                (Metrics(["bad name": 1]), "metric name 'bad name' is not allowed"),
            ]
            for (metrics, message) in cases {
                let member = try await store.claimMember()
                await #expect {
                    try await store.commit(Self.point(member.slot, step: 10, metrics: metrics), scoreWindow: 1) { _ in
                        []
                    }
                } throws: { error in
                    (error as? StoreError)?.code == .invalid && "\(error)".contains(message)
                }
                try await store.release(experiment: "exp", member: member.slot, worker: "w")
            }
            #expect(try await store.scores(of: "exp").isEmpty)
            #expect(try await store.members(of: "exp").map(\.step) == [0])
        }
    }

    static func point(_ member: Int, step: Int, metrics: Metrics) -> ReadyPoint {
        var point = PBTStoreTests.point(member: member, step: step, score: 0.5)
        point.metrics = metrics
        return point
    }
}
