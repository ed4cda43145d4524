import Foundation
import PBT
import Testing

@testable import PBTStore

/// Counting a member's failures: the same behaviour from every store.
@Suite("Conformance: failures")
struct ConformanceFailureTests {
    @Test(arguments: StoreKind.allCases)
    func failuresAreCountedAndReleaseUntilTheLimitThenFail(kind: StoreKind) async throws {
        try await StoreFixture.with(kind) { fixture in
            let store = fixture.store
            try await store.makeExperiment(population: 2)
            let committed = try await store.advance(worker: "a", step: 10, score: 1)
            #expect(committed.member.slot == 0)
            for expected in 1...2 {
                let member = try await store.claimMember(worker: "a")
                #expect(member.slot == 1)
                let after = try await store.recordFailure(experiment: "exp", member: 1, worker: "a", maxFailures: 2)
                #expect(after.failures == expected && after.status == .ready && after.lease == nil)
                #expect(after.step == 0 && after.checkpoint == nil)
            }
            #expect(try await store.claimMember(worker: "b").slot == 1)
            let last = try await store.recordFailure(experiment: "exp", member: 1, worker: "b", maxFailures: 2)
            #expect(last.failures == 3 && last.status == .failed && last.lease == nil)
            // Member 0's commit is untouched, and only it is claimable now.
            let members = try await store.members(of: "exp")
            #expect(members[0].step == 10 && members[0].checkpoint == committed.checkpoint && members[0].failures == 0)
            #expect(try await store.claimMember(worker: "c").slot == 0)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func onlyTheLeaseHolderMayRecordAFailure(kind: StoreKind) async throws {
        try await StoreFixture.with(kind) { fixture in
            let store = fixture.store
            try await store.makeExperiment(population: 1)
            _ = try await store.claimMember(worker: "a")
            await expectStoreError(.leaseLost) {
                _ = try await store.recordFailure(experiment: "exp", member: 0, worker: "b", maxFailures: 1)
            }
            await expectStoreError(.memberOutOfRange) {
                _ = try await store.recordFailure(experiment: "exp", member: 5, worker: "a", maxFailures: 1)
            }
            #expect(try await store.members(of: "exp")[0].failures == 0)
        }
    }
}
