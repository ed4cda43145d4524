import Foundation
import PBT
import Synchronization
import Testing

@testable import PBTStore

/// Claims, leases and their expiry: the same behaviour from every store.
@Suite("Conformance: leases")
struct ConformanceLeaseTests {
    @Test(arguments: StoreKind.allCases)
    func claimsTheLeastAdvancedMemberThenTheLowestSlot(kind: StoreKind) async throws {
        try await StoreFixture.with(kind) { fixture in
            let store = fixture.store
            try await store.makeExperiment(population: 4)
            #expect(try await store.advance(step: 10, score: 1).member.slot == 0)
            #expect(try await store.advance(step: 5, score: 1).member.slot == 1)
            // Steps now: 10, 5, 0, 0.
            var order: [Int] = []
            for worker in ["a", "b", "c", "d"] {
                order.append(try await store.claimMember(worker: worker).slot)
            }
            #expect(order == [2, 3, 1, 0])
            #expect(try await store.claim(experiment: "exp", worker: "e", lease: .seconds(60)) == .busy)
            let members = try await store.members(of: "exp")
            #expect(members.map { $0.lease?.worker } == ["d", "c", "a", "b"])
            #expect(members[0].lease?.expiresAt == fixture.clock.now.addingTimeInterval(60))
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aClaimPrefersHeldMembersOnlyAmongTheLeastAdvanced(kind: StoreKind) async throws {
        try await StoreFixture.with(kind) { fixture in
            let store = fixture.store
            try await store.makeExperiment(population: 5)
            for slot in 0..<3 { #expect(try await store.advance(step: 5, score: 1).member.slot == slot) }
            // Steps now: 5, 5, 5, 0, 0.
            func claim(_ worker: String, preferring preferred: Set<Int>) async throws -> ClaimOutcome {
                try await store.claim(experiment: "exp", worker: worker, lease: .seconds(60), preferring: preferred)
            }
            func slot(_ outcome: ClaimOutcome) -> Int? {
                if case .claimed(let member) = outcome { member.slot } else { nil }
            }
            #expect(slot(try await claim("a", preferring: [4, 1])) == 4)  // before the lower slot 3
            #expect(slot(try await claim("b", preferring: [1])) == 3)  // member 1 is ahead: no preference
            // before members 0 and 1, which committed earlier
            #expect(slot(try await claim("c", preferring: [2])) == 2)
            #expect(slot(try await claim("d", preferring: [])) == 0)
            #expect(slot(try await claim("e", preferring: [7, -1])) == 1)  // out of range: ignored
            #expect(try await claim("f", preferring: [0, 1]) == .busy)
            let members = try await store.members(of: "exp")
            #expect(members.map { $0.lease?.worker } == ["d", "e", "c", "b", "a"])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func concurrentClaimsNeverShareAMember(kind: StoreKind) async throws {
        try await StoreFixture.with(kind) { fixture in
            let store = fixture.store
            try await store.makeExperiment(population: 8)
            let claims = try await withThrowingTaskGroup(of: [(slot: Int, worker: String)].self) { group in
                for worker in (0..<32).map({ "worker-\($0)" }) {
                    group.addTask {
                        var mine: [(slot: Int, worker: String)] = []
                        for _ in 0..<3 {
                            let outcome = try await store.claim(experiment: "exp", worker: worker, lease: .seconds(600))
                            if case .claimed(let member) = outcome { mine.append((member.slot, worker)) }
                        }
                        return mine
                    }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            #expect(claims.map(\.slot).sorted() == Array(0..<8))
            let holders = try await store.members(of: "exp").map { $0.lease?.worker }
            for claim in claims { #expect(holders[claim.slot] == claim.worker) }
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aLapsedLeaseGoesToTheNextWorkerAndTheFirstLosesIt(kind: StoreKind) async throws {
        try await StoreFixture.with(kind) { fixture in
            let store = fixture.store
            try await store.makeExperiment(population: 1)
            #expect(try await store.claimMember(worker: "first", lease: .seconds(10)).slot == 0)
            #expect(try await store.claim(experiment: "exp", worker: "second", lease: .seconds(10)) == .busy)
            fixture.clock.advance(by: 5)
            try await store.renew(experiment: "exp", member: 0, worker: "first", lease: .seconds(10))
            fixture.clock.advance(by: 9)
            #expect(try await store.claim(experiment: "exp", worker: "second", lease: .seconds(10)) == .busy)
            fixture.clock.advance(by: 1)
            #expect(try await store.claimMember(worker: "second", lease: .seconds(10)).lease?.worker == "second")

            let lost = await expectStoreError(.leaseLost) {
                try await store.renew(experiment: "exp", member: 0, worker: "first", lease: .seconds(10))
            }
            #expect(lost?.message.contains("first") == true)
            await expectStoreError(.leaseLost) {
                _ = try await store.commit(point(member: 0, worker: "first", step: 10, score: 1), scoreWindow: 1) { _ in
                    []
                }
            }
            await expectStoreError(.leaseLost) {
                try await store.release(experiment: "exp", member: 0, worker: "first")
            }
            await expectStoreError(.leaseLost) {
                try await store.fail(experiment: "exp", member: 0, worker: "first", failures: 1)
            }
            #expect(try await store.scores(of: "exp").isEmpty)
            let result = try await store.commit(point(member: 0, worker: "second", step: 10, score: 1), scoreWindow: 1)
            { _ in [] }
            #expect(result.member.lease == nil)
            #expect(result.member.step == 10)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func releaseFailAndFinish(kind: StoreKind) async throws {
        try await StoreFixture.with(kind) { fixture in
            let store = fixture.store
            try await store.makeExperiment(population: 2)
            #expect(try await store.claimMember(worker: "a").slot == 0)
            try await store.release(experiment: "exp", member: 0, worker: "a")
            #expect(try await store.claimMember(worker: "b").slot == 0)
            try await store.fail(experiment: "exp", member: 0, worker: "b", failures: 3)
            let failed = try await store.members(of: "exp")[0]
            #expect(failed.status == .failed && failed.failures == 3 && failed.lease == nil)
            let done = try await store.advance(worker: "c", step: 100, score: 2) { state in
                let me = state.members[1]
                return [
                    MemberUpdate(
                        slot: 1, step: me.step, status: .done, hyperparameters: me.hyperparameters,
                        checkpoint: me.checkpoint)
                ]
            }
            #expect(done.member.status == .done)
            #expect(try await store.claim(experiment: "exp", worker: "d", lease: .seconds(1)) == .finished)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func waitingMembersAreBusyNotFinished(kind: StoreKind) async throws {
        try await StoreFixture.with(kind) { fixture in
            let store = fixture.store
            try await store.makeExperiment(population: 1)
            try await store.advance(step: 10, score: 1) { state in
                let me = state.members[0]
                return [
                    MemberUpdate(
                        slot: 0, step: me.step, status: .waiting, hyperparameters: me.hyperparameters,
                        checkpoint: me.checkpoint)
                ]
            }
            #expect(try await store.claim(experiment: "exp", worker: "w", lease: .seconds(1)) == .busy)
        }
    }
}
