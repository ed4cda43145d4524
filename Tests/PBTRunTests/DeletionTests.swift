import Foundation
import PBT
import PBTRuntime
import PBTStore
import Testing

/// `ExperimentDeletion`: refused while workers hold live leases, unless forced.
@Suite("Deleting an experiment")
struct DeletionTests {
    @Test func liveLeasesRefuseADeletionUnlessForced() async throws {
        let store = InMemoryStore()
        let record = ExperimentRecord(name: "x", population: 3, configuration: "{}")
        _ = try await store.create(record, members: Array(repeating: Hyperparameters(["lr": 0.1]), count: 3))
        guard
            case .claimed(let member) = try await store.claim(experiment: "x", worker: "host/7/0", lease: .seconds(60))
        else {
            Issue.record("no claim")
            return
        }
        await #expect {
            try await ExperimentDeletion.delete("x", from: store)
        } throws: { error in
            guard let live = error as? ExperimentDeletion.LiveWorkers else { return false }
            return live.leases == [member.slot: "host/7/0"]
                && live.description.contains("member \(member.slot) (worker host/7/0)")
                && live.description.contains("pbt delete x --force")
        }
        #expect(try await store.experiment(named: "x") != nil)
        // A lapsed lease is no worker's any more.
        let later = Date().addingTimeInterval(120)
        let deleted = try await ExperimentDeletion.delete("x", from: store, now: later)
        #expect(deleted == ExperimentDeletion.Summary(members: 3, scores: 0, events: 0, checkpoints: 0))
        #expect(try await store.experiment(named: "x") == nil)
    }

    @Test func forceDeletesUnderLiveWorkers() async throws {
        let store = InMemoryStore()
        let record = ExperimentRecord(name: "x", population: 1, configuration: "{}")
        _ = try await store.create(record, members: [Hyperparameters(["lr": 0.1])])
        _ = try await store.claim(experiment: "x", worker: "w", lease: .seconds(60))
        try await ExperimentDeletion.delete("x", from: store, force: true)
        #expect(try await store.experiments().isEmpty)
        await #expect(throws: StoreError.self) { try await ExperimentDeletion.delete("x", from: store) }
    }
}
