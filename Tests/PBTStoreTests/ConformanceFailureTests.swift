import Foundation
import PBT
import Synchronization
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

    /// A member marked failed may have been the last of a synchronous round: `decide` sees the
    /// population after the failure, and its updates and events are applied with it. A failure
    /// that only releases the member decides nothing; one whose `decide` throws changes nothing.
    @Test(arguments: StoreKind.allCases)
    func aMemberMarkedFailedLetsDecideReleaseTheOthers(kind: StoreKind) async throws {
        try await StoreFixture.with(kind) { fixture in
            let store = fixture.store
            try await store.makeExperiment(population: 3)
            var checkpoints: [Int64] = []
            for score in [1.0, 2] {
                let result = try await store.advance(step: 10, score: score) { state in
                    let member = state.members.first { $0.lease != nil }!
                    return [
                        MemberUpdate(
                            slot: member.slot, step: 10, status: .waiting, hyperparameters: member.hyperparameters,
                            checkpoint: member.checkpoint)
                    ]
                }
                checkpoints.append(result.checkpoint)
            }
            let seen = Mutex<[PopulationState]>([])
            let release = { @Sendable (state: PopulationState) -> [MemberUpdate] in
                seen.withLock { $0.append(state) }
                let (loser, winner) = (state.members[0], state.members[1])
                let after = Hyperparameters(["lr": 0.25])
                return [
                    MemberUpdate(
                        slot: 1, step: 10, status: .ready, hyperparameters: winner.hyperparameters,
                        checkpoint: winner.checkpoint),
                    MemberUpdate(
                        slot: 0, step: 10, status: .ready, hyperparameters: after, checkpoint: winner.checkpoint,
                        event: ExploitEvent(
                            sequence: 0, member: 0, step: 10, donor: 1, donorStep: 10, before: loser.hyperparameters,
                            after: after, mutations: [])),
                ]
            }
            #expect(try await store.claimMember(worker: "a").slot == 2)
            let first = try await store.recordFailure(
                experiment: "exp", member: 2, worker: "a", maxFailures: 1, scoreWindow: 2, historyRows: 0,
                decide: release)
            #expect(
                first.status == .ready && seen.withLock { $0.isEmpty }, "a member that is not failed decides nothing")
            #expect(try await store.claimMember(worker: "a").slot == 2)
            await #expect(throws: PlannedFailure.self) {
                _ = try await store.recordFailure(
                    experiment: "exp", member: 2, worker: "a", maxFailures: 1, scoreWindow: 2, historyRows: 0
                ) { _ in throw PlannedFailure() }
            }
            let unchanged = try await store.members(of: "exp")
            #expect(unchanged[2].failures == 1 && unchanged[2].status == .ready && unchanged[2].lease?.worker == "a")
            #expect(unchanged[0].status == .waiting && unchanged[1].status == .waiting)

            let last = try await store.recordFailure(
                experiment: "exp", member: 2, worker: "a", maxFailures: 1, scoreWindow: 2, historyRows: 0,
                decide: release)
            #expect(last.status == .failed && last.failures == 2 && last.lease == nil)
            let state = try #require(seen.withLock { $0.first })
            #expect(state.members.map(\.status) == [.waiting, .waiting, .failed])
            #expect(state.members[2].lease == nil && state.members[2].failures == 2)
            #expect(state.recentScores[0].suffix(2) == [1] && state.recentScores[1].suffix(2) == [2])
            let members = try await store.members(of: "exp")
            #expect(members.map(\.status) == [.ready, .ready, .failed])
            #expect(
                members[0].checkpoint == checkpoints[1] && members[0].hyperparameters == Hyperparameters(["lr": 0.25]))
            let events = try await store.events(of: "exp")
            #expect(events.count == 1 && events[0].sequence == 1 && events[0].member == 0 && events[0].donor == 1)
            #expect(events[0].recordedAt != nil)
            #expect(try await store.claimMember(worker: "b").slot == 0, "the round's members are claimable again")
        }
    }
}
