import Foundation
import PBT
import Testing

@testable import PBTStore

/// Checkpoints: retention, verification, and falling back from a corrupt one.
@Suite("Conformance: checkpoints")
struct ConformanceCheckpointTests {
    @Test(arguments: StoreKind.allCases)
    func keepsTheLastTwoAndEveryCheckpointAMemberPointsTo(kind: StoreKind) async throws {
        try await StoreFixture.with(kind) { fixture in
            let store = fixture.store
            try await store.makeExperiment(population: 2)
            let first = try await store.advance(step: 10, score: 5).checkpoint
            // Member 1 copies member 0's first checkpoint and keeps pointing at it.
            try await store.advance(step: 10, score: 1) { state in
                [
                    MemberUpdate(
                        slot: 1, step: 10, status: .ready, hyperparameters: state.members[1].hyperparameters,
                        checkpoint: first)
                ]
            }
            var own = [first]
            for step in stride(from: 20, through: 50, by: 10) {
                var member = try await store.claimMember(worker: "a")
                if member.slot == 1 {
                    // Park member 1 (still pointing at `first`) so only member 0 trains on.
                    try await store.fail(experiment: "exp", member: 1, worker: "a", failures: 1)
                    member = try await store.claimMember(worker: "a")
                }
                #expect(member.slot == 0)
                let result = try await store.commit(point(member: 0, worker: "a", step: step, score: 5), scoreWindow: 1)
                { _ in [] }
                own.append(result.checkpoint)
            }
            // Own checkpoints at steps 10...50: the first is kept (member 1 points to it), the
            // next two are gone, the last two remain.
            #expect(try await store.checkpoint(of: "exp", id: own[0]).step == 10)
            for id in own[1...2] {
                await expectStoreError(.checkpointMissing) { _ = try await store.checkpoint(of: "exp", id: id) }
            }
            #expect(try await store.checkpoint(of: "exp", id: own[3]).step == 40)
            #expect(try await store.checkpoint(of: "exp", id: own[4]).step == 50)

            // Once member 1 points elsewhere, the first goes at member 0's next commit.
            #expect(try await store.claimMember(worker: "a").slot == 0)
            let latest = own[4]
            _ = try await store.commit(point(member: 0, worker: "a", step: 60, score: 5), scoreWindow: 1) { state in
                [
                    MemberUpdate(
                        slot: 1, step: 50, status: .failed, hyperparameters: state.members[1].hyperparameters,
                        checkpoint: latest)
                ]
            }
            for id in [own[0], own[3]] {
                await expectStoreError(.checkpointMissing) { _ = try await store.checkpoint(of: "exp", id: id) }
            }
            #expect(try await store.checkpoint(of: "exp", id: own[4]).step == 50)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aCorruptCheckpointIsReportedAndTheMemberFallsBack(kind: StoreKind) async throws {
        try await StoreFixture.with(kind) { fixture in
            let store = fixture.store
            try await store.makeExperiment("corrupt-demo", population: 1)
            let older = try await store.advance("corrupt-demo", step: 10, score: 1).checkpoint
            let newer = try await store.advance("corrupt-demo", step: 20, score: 2).checkpoint
            try await fixture.corrupt(experiment: "corrupt-demo", checkpoint: newer)

            let error = await expectStoreError(.checkpointCorrupt) {
                _ = try await store.checkpoint(of: "corrupt-demo", id: newer)
            }
            let message = error?.message ?? ""
            #expect(message.contains("'corrupt-demo'") && message.contains("checkpoint \(newer)"))
            #expect(message.contains("member 0") && message.contains("step 20"))

            await expectStoreError(.leaseLost) {
                _ = try await store.fallBack(experiment: "corrupt-demo", member: 0, worker: "w", reason: message)
            }
            _ = try await store.claimMember("corrupt-demo", worker: "w")
            let fallen = try await store.fallBack(experiment: "corrupt-demo", member: 0, worker: "w", reason: message)
            #expect(fallen.checkpoint == older && fallen.step == 10)
            #expect(fallen.lease?.worker == "w")
            #expect(try await store.checkpoint(of: "corrupt-demo", id: older).step == 10)

            // With no good checkpoint left, the member starts afresh.
            try await fixture.corrupt(experiment: "corrupt-demo", checkpoint: older)
            let fresh = try await store.fallBack(experiment: "corrupt-demo", member: 0, worker: "w", reason: "again")
            #expect(fresh.checkpoint == nil && fresh.step == 0 && fresh.status == .ready)

            let fallbacks = try await store.fallbacks(of: "corrupt-demo")
            #expect(fallbacks.count == 2)
            #expect(fallbacks[0].fromCheckpoint == newer && fallbacks[0].fromStep == 20)
            #expect(fallbacks[0].toCheckpoint == older && fallbacks[0].toStep == 10)
            #expect(fallbacks[0].reason == message)
            #expect(fallbacks[1].toCheckpoint == nil && fallbacks[1].toStep == 0 && fallbacks[1].reason == "again")
            #expect(fallbacks[0].at == fixture.clock.now)

            // Training goes on from the fresh start.
            let result = try await store.commit(point("corrupt-demo", member: 0, step: 10, score: 3), scoreWindow: 1) {
                _ in []
            }
            #expect(result.member.step == 10)
        }
    }
}
