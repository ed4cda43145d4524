import Foundation
import PBT
import Testing

@testable import PBTStore

/// Creating, resuming and listing experiments: the same behaviour from every store.
@Suite("Conformance: experiments")
struct ConformanceExperimentTests {
    @Test(arguments: StoreKind.allCases)
    func createThenResumeThenRefuseAnotherConfiguration(kind: StoreKind) async throws {
        try await StoreFixture.with(kind) { fixture in
            let store = fixture.store
            #expect(try await store.makeExperiment(configuration: #"{"seed":1,"steps":100}"#))
            #expect(try await !store.makeExperiment(configuration: #"{"seed":1,"steps":100}"#))
            let error = await expectStoreError(.configurationMismatch) {
                try await store.makeExperiment(configuration: #"{"seed":1,"steps":200}"#)
            }
            #expect(error?.message.contains("steps: 100 → 200") == true)
            await expectStoreError(.configurationMismatch) {
                try await store.makeExperiment(population: 4, configuration: #"{"seed":1,"steps":100}"#)
            }
            let members = try await store.members(of: "exp")
            #expect(members.map(\.slot) == [0, 1, 2])
            #expect(
                members.allSatisfy { $0.step == 0 && $0.status == .ready && $0.checkpoint == nil && $0.lease == nil })
            #expect(members[1].hyperparameters == Hyperparameters(["lr": .number(0.1 * 2)]))
            #expect(members[1].initialHyperparameters == members[1].hyperparameters)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func experimentsAreListedOldestFirst(kind: StoreKind) async throws {
        try await StoreFixture.with(kind) { fixture in
            let store = fixture.store
            let early = Date(timeIntervalSince1970: 1_600_000_000.25)
            let late = Date(timeIntervalSince1970: 1_700_000_000.5)
            try await store.makeExperiment("later", population: 2, createdAt: late)
            try await store.makeExperiment("earlier", population: 1, configuration: "{}", createdAt: early)
            let listed = try await store.experiments()
            #expect(listed.map(\.name) == ["earlier", "later"])
            #expect(listed.map(\.population) == [1, 2])
            #expect(listed.map(\.configuration) == ["{}", #"{"seed":1}"#])
            #expect(abs(listed[0].createdAt.timeIntervalSince(early)) < 1e-6)
            #expect(try await store.experiment(named: "later")?.population == 2)
            #expect(try await store.experiment(named: "absent") == nil)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func unknownExperimentIsReported(kind: StoreKind) async throws {
        try await StoreFixture.with(kind) { fixture in
            let store = fixture.store
            let error = await expectStoreError(.experimentNotFound) {
                _ = try await store.claim(experiment: "ghost", worker: "w", lease: .seconds(1))
            }
            #expect(error?.message.contains("ghost") == true)
            await expectStoreError(.experimentNotFound) { _ = try await store.members(of: "ghost") }
            await expectStoreError(.experimentNotFound) { _ = try await store.scores(of: "ghost") }
            await expectStoreError(.experimentNotFound) { _ = try await store.events(of: "ghost") }
            await expectStoreError(.experimentNotFound) { _ = try await store.checkpoint(of: "ghost", id: 1) }
        }
    }

    @Test(arguments: StoreKind.allCases)
    func memberOutOfRangeIsReported(kind: StoreKind) async throws {
        try await StoreFixture.with(kind) { fixture in
            let store = fixture.store
            try await store.makeExperiment(population: 2)
            let error = await expectStoreError(.memberOutOfRange) {
                try await store.renew(experiment: "exp", member: 5, worker: "w", lease: .seconds(1))
            }
            #expect(error?.message.contains("member 5") == true)
            #expect(error?.message.contains("0..<2") == true)
            await expectStoreError(.memberOutOfRange) {
                try await store.release(experiment: "exp", member: -1, worker: "w")
            }
            await expectStoreError(.memberOutOfRange) {
                try await store.fail(experiment: "exp", member: 2, worker: "w", failures: 1)
            }
            await expectStoreError(.memberOutOfRange) {
                _ = try await store.commit(point(member: 2, step: 1, score: 0), scoreWindow: 1) { _ in [] }
            }
            await expectStoreError(.memberOutOfRange) {
                _ = try await store.fallBack(experiment: "exp", member: 7, worker: "w", reason: "test")
            }
            #expect(try await store.scores(of: "exp").isEmpty)
        }
    }
}
