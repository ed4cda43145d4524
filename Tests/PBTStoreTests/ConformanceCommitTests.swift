import Foundation
import PBT
import Synchronization
import Testing

@testable import PBTStore

/// Commits: one transaction per ready point, decisions, events and scores.
@Suite("Conformance: commits")
struct ConformanceCommitTests {
    @Test(arguments: StoreKind.allCases)
    func decideSeesThePointAndItsScoreWindow(kind: StoreKind) async throws {
        try await StoreFixture.with(kind) { fixture in
            let store = fixture.store
            try await store.makeExperiment(population: 2)
            for (index, score) in [1.0, 2, 3, 4, 5, 6].enumerated() {
                try await store.advance(step: 10 * (index / 2 + 1), score: score)
            }
            // Member 0 scored 1, 3, 5; member 1 scored 2, 4, 6. Member 0 now commits 7.
            let seen = Mutex<PopulationState?>(nil)
            let member = try await store.claimMember()
            #expect(member.slot == 0)
            let result = try await store.commit(point(member: 0, step: 40, score: 7), scoreWindow: 2) { state in
                seen.withLock { $0 = state }
                return []
            }
            let state = try #require(seen.withLock { $0 })
            #expect(state.members[0].step == 40)
            #expect(state.members[0].score == 7)
            #expect(state.members[0].checkpoint == result.checkpoint)
            #expect(state.recentScores[0].suffix(2) == [5, 7])
            #expect(state.recentScores[1].suffix(2) == [4, 6])
            #expect(result.member.lease == nil)
            #expect(
                try await store.checkpoint(of: "exp", id: result.checkpoint).payload.bytes()
                    == point(member: 0, step: 40, score: 7).payload.bytes())
        }
    }

    @Test(arguments: StoreKind.allCases)
    func decideSeesWhereEachMemberLastCopiedADonor(kind: StoreKind) async throws {
        try await StoreFixture.with(kind) { fixture in
            let store = fixture.store
            try await store.makeExperiment(population: 3)
            // Member 0 copies member 1 at step 10; member 2 explores its own values (no copy).
            let first = try await store.advance(step: 10, score: 1)
            try await store.advance(step: 10, score: 2)
            try await store.advance(step: 10, score: 3) { state in
                [
                    Self.copy(0, from: 1, at: 10, state, checkpoint: first.checkpoint),
                    Self.copy(2, from: 2, at: 10, state, checkpoint: state.members[2].checkpoint),
                ]
            }
            let seen = Mutex<[Int?]>([])
            try await store.advance(step: 20, score: 4) { state in
                seen.withLock { $0 = state.lastExploitSteps }
                return []
            }
            #expect(seen.withLock { $0 } == [10, nil, nil])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func decideSeesTheLatestScoresAndEventsWhenAsked(kind: StoreKind) async throws {
        try await StoreFixture.with(kind) { fixture in
            let store = fixture.store
            try await store.makeExperiment(population: 2)
            let explanation = PB2Explanation(
                mean: 0.5, standardDeviation: 0.25, kappa: 1.5,
                kernel: PB2KernelParameters(variance: 1, lengthscale: 0.5, epsilon: 0.1, noise: 1e-4),
                logMarginalLikelihood: -3, window: 7, rows: 7, pending: 1, rateMean: 0.01, rateScale: 0.002)
            try await store.advance(step: 10, score: 1)
            try await store.advance(step: 10, score: 2) { state in
                var update = Self.copy(0, from: 1, at: 10, state, checkpoint: state.members[1].checkpoint)
                update.event?.mutations = [Mutation("lr", .suggested(explanation), clamped: false)]
                return [update]
            }
            try await store.advance(step: 20, score: 3)
            let seen = Mutex<[PopulationState]>([])
            for rows in [0, 2, 10] {
                let member = try await store.claimMember()
                _ = try await store.commit(
                    point(
                        member: member.slot, step: 30 + rows, score: Double(4 + rows),
                        hyperparameters: member.hyperparameters),
                    scoreWindow: 1, historyRows: rows
                ) { state in
                    seen.withLock { $0.append(state) }
                    return []
                }
            }
            let states = seen.withLock { $0 }
            #expect(states[0].history.isEmpty && states[0].events.isEmpty)
            // The latest scores, oldest first, the point's last; the events among them.
            #expect(states[1].history.map(\.score) == [4, 6])
            #expect(states[2].history.map(\.score) == [1, 2, 3, 4, 6, 14])
            #expect(states[2].history.map(\.step) == [10, 10, 20, 30, 32, 40])
            #expect(
                states[2].history[2].hyperparameters == Hyperparameters(["lr": 0.5]),
                "member 0 trained with the copied values")
            let event = try #require(states[2].events.last)
            #expect(states[2].events.count == 1 && event.member == 0 && event.donor == 1 && event.step == 10)
            #expect(event.explanation == explanation, "the explanation survives the store")
        }
    }

    @Test(arguments: StoreKind.allCases)
    func scoresFromAnIndexAreTheRestInTheOrderRecorded(kind: StoreKind) async throws {
        try await StoreFixture.with(kind) { fixture in
            let store = fixture.store
            try await store.makeExperiment(population: 2)
            for (index, score) in [3.0, 1, 4, 1, 5].enumerated() {
                try await store.advance(step: 10 * (index / 2 + 1), score: score)
            }
            let all = try await store.scores(of: "exp")
            #expect(all.map(\.score) == [3, 1, 4, 1, 5])
            for index in 0...6 {
                #expect(try await store.scores(of: "exp", from: index) == Array(all.dropFirst(index)), "from \(index)")
            }
            #expect(try await store.scores(of: "exp", from: -1) == all)
        }
    }

    /// An update with the event of `member` taking `donor`'s state at `step`.
    private static func copy(
        _ member: Int, from donor: Int, at step: Int, _ state: PopulationState, checkpoint: Int64?
    )
        -> MemberUpdate
    {
        let before = state.members[member].hyperparameters
        let after = Hyperparameters(["lr": 0.5])
        return MemberUpdate(
            slot: member, step: step, status: .ready, hyperparameters: after, checkpoint: checkpoint,
            event: ExploitEvent(
                sequence: 0, member: member, step: step, donor: donor, donorStep: step, before: before, after: after,
                mutations: [Mutation("lr", .resampled, clamped: false)]))
    }

    @Test(arguments: StoreKind.allCases)
    func aThrowingDecisionRecordsNothing(kind: StoreKind) async throws {
        try await StoreFixture.with(kind) { fixture in
            let store = fixture.store
            try await store.makeExperiment(population: 2)
            let before = try await store.members(of: "exp")
            let member = try await store.claimMember(worker: "w")
            let claimed = try await store.members(of: "exp")
            await #expect(throws: PlannedFailure.self) {
                _ = try await store.commit(point(member: member.slot, step: 10, score: 1), scoreWindow: 1) { _ in
                    throw PlannedFailure()
                }
            }
            #expect(try await store.scores(of: "exp").isEmpty)
            #expect(try await store.events(of: "exp").isEmpty)
            #expect(try await store.members(of: "exp") == claimed)
            #expect(claimed[1] == before[1])
            await expectStoreError(.checkpointMissing) { _ = try await store.checkpoint(of: "exp", id: 1) }
            // The lease is still held: the worker may commit again.
            let result = try await store.commit(point(member: member.slot, step: 10, score: 1), scoreWindow: 1) { _ in
                []
            }
            #expect(result.member.step == 10)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func invalidUpdatesRollBackTheWholeCommit(kind: StoreKind) async throws {
        try await StoreFixture.with(kind) { fixture in
            let store = fixture.store
            try await store.makeExperiment(population: 2)
            let member = try await store.claimMember()
            await expectStoreError(.memberOutOfRange) {
                _ = try await store.commit(point(member: member.slot, step: 10, score: 1), scoreWindow: 1) { state in
                    [
                        MemberUpdate(
                            slot: 9, step: 0, status: .ready, hyperparameters: state.members[0].hyperparameters,
                            checkpoint: nil)
                    ]
                }
            }
            await expectStoreError(.checkpointMissing) {
                _ = try await store.commit(point(member: member.slot, step: 10, score: 1), scoreWindow: 1) { state in
                    [
                        MemberUpdate(
                            slot: 1, step: 0, status: .ready, hyperparameters: state.members[1].hyperparameters,
                            checkpoint: 999)
                    ]
                }
            }
            #expect(try await store.scores(of: "exp").isEmpty)
            #expect(try await store.members(of: "exp")[0].step == 0)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func exploitUpdatesAndEventsAreRecordedInSequence(kind: StoreKind) async throws {
        try await StoreFixture.with(kind) { fixture in
            let store = fixture.store
            try await store.makeExperiment(population: 2)
            let donor = try await store.advance(step: 10, score: 9)
            let copied = Hyperparameters(["lr": 0.12, "activation": "relu"])
            let mutations = [
                Mutation("lr", .scaled(by: 1.2), clamped: false), Mutation("activation", .resampled, clamped: true),
            ]
            let result = try await store.advance(step: 10, score: 1) { state in
                let me = state.members[1], other = state.members[0]
                return [
                    MemberUpdate(
                        slot: 1, step: other.step, status: .ready, hyperparameters: copied,
                        checkpoint: other.checkpoint,
                        event: ExploitEvent(
                            sequence: 0, member: 1, step: me.step, donor: 0, donorStep: other.step,
                            before: me.hyperparameters, after: copied, mutations: mutations))
                ]
            }
            #expect(result.member.checkpoint == donor.checkpoint)
            #expect(result.member.hyperparameters == copied)
            #expect(result.checkpoint != donor.checkpoint)
            #expect(result.member.initialHyperparameters == Hyperparameters(["lr": .number(0.2)]))

            let explored = Hyperparameters(["lr": 0.08])
            try await store.advance(step: 20, score: 3) { state in
                let me = state.members[0]
                return [
                    MemberUpdate(
                        slot: 0, step: me.step, status: .ready, hyperparameters: explored, checkpoint: me.checkpoint,
                        event: ExploitEvent(
                            sequence: 0, member: 0, step: me.step, donor: 0, donorStep: me.step,
                            before: me.hyperparameters,
                            after: explored, mutations: [Mutation("lr", .scaled(by: 0.8), clamped: false)]))
                ]
            }
            let events = try await store.events(of: "exp")
            #expect(events.map(\.sequence) == [1, 2])
            #expect(events[0].isExploit && !events[1].isExploit)
            #expect(events[0].mutations == mutations)
            #expect(events[0].before == Hyperparameters(["lr": .number(0.2)]))
            #expect(events[0].after == copied)
            #expect(events[1].step == 20 && events[1].donorStep == 20)
            let members = try await store.members(of: "exp")
            #expect(members[0].hyperparameters == explored && members[1].hyperparameters == copied)
        }
    }

    /// A copy that ends a member at the budget gives it the donor's score (the decision's
    /// `score`), in the member's row and in the commit's result; no score row is added for it.
    /// The same update applied by a departure (`recordFailure`) sets it too.
    @Test(arguments: StoreKind.allCases)
    func anUpdatesScoreBecomesTheMembersScore(kind: StoreKind) async throws {
        try await StoreFixture.with(kind) { fixture in
            let store = fixture.store
            try await store.makeExperiment(population: 3)
            let donor = try await store.advance(step: 100, score: 9) { state in
                let me = state.members[0]
                return [
                    MemberUpdate(
                        slot: 0, step: 100, status: .done, hyperparameters: me.hyperparameters,
                        checkpoint: me.checkpoint)
                ]
            }
            let copier = try await store.advance(step: 40, score: 1) { state in
                let (me, other) = (state.members[1], state.members[0])
                return [
                    MemberUpdate(
                        slot: 1, step: 100, status: .done, hyperparameters: me.hyperparameters,
                        checkpoint: other.checkpoint, score: other.score,
                        event: ExploitEvent(
                            sequence: 0, member: 1, step: 40, donor: 0, donorStep: 100, before: me.hyperparameters,
                            after: me.hyperparameters, mutations: []))
                ]
            }
            #expect(copier.member.score == 9 && copier.member.status == .done)
            #expect(copier.member.checkpoint == donor.checkpoint)
            let members = try await store.members(of: "exp")
            #expect(members.map(\.score) == [9, 9, nil])
            #expect(try await store.scores(of: "exp").map(\.score) == [9, 1])

            #expect(try await store.claimMember(worker: "a").slot == 2)
            let departure = { @Sendable (score: Double) -> @Sendable (PopulationState) -> [MemberUpdate] in
                { state in
                    let me = state.members[1]
                    return [
                        MemberUpdate(
                            slot: 1, step: me.step, status: me.status, hyperparameters: me.hyperparameters,
                            checkpoint: me.checkpoint, score: score)
                    ]
                }
            }
            await expectStoreError(.invalid) {
                _ = try await store.recordFailure(
                    experiment: "exp", member: 2, worker: "a", maxFailures: 0, scoreWindow: 1, historyRows: 0,
                    decide: departure(.nan))
            }
            #expect(try await store.members(of: "exp").map(\.score) == [9, 9, nil])
            let failed = try await store.recordFailure(
                experiment: "exp", member: 2, worker: "a", maxFailures: 0, scoreWindow: 1, historyRows: 0,
                decide: departure(4))
            #expect(failed.status == .failed)
            #expect(try await store.members(of: "exp").map(\.score) == [9, 4, nil])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func scoresReadBackBitForBit(kind: StoreKind) async throws {
        try await StoreFixture.with(kind) { fixture in
            let store = fixture.store
            let values: [Double] = [
                -.infinity, .infinity, 0.1 + 0.2, 1.0 / 3.0, .leastNonzeroMagnitude, .greatestFiniteMagnitude,
                -.leastNormalMagnitude, 123_456_789.123_456_789, 9_007_199_254_740_992, -1e-300,
            ]
            try await store.makeExperiment(population: 1)
            let lr: [Double] = [1.0 / 3.0, .leastNonzeroMagnitude, 0.1 + 0.2, 1e300, -2.5e-8]
            for (index, value) in values.enumerated() {
                let member = try await store.claimMember()
                var hyperparameters = member.hyperparameters
                hyperparameters["lr"] = .number(lr[index % lr.count])
                _ = try await store.commit(
                    point(member: 0, step: index + 1, score: value, hyperparameters: hyperparameters), scoreWindow: 1
                ) { _ in [] }
            }
            let scores = try await store.scores(of: "exp")
            #expect(scores.map(\.score.bitPattern) == values.map(\.bitPattern))
            #expect(
                scores.map { $0.hyperparameters.number("lr")!.bitPattern }
                    == values.indices.map { lr[$0 % lr.count].bitPattern })
            #expect(scores.map(\.step) == Array(1...values.count))
            #expect(try await store.members(of: "exp")[0].score?.bitPattern == values.last!.bitPattern)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func negativeZeroReadsBackAsZero(kind: StoreKind) async throws {
        try await StoreFixture.with(kind) { fixture in
            try await fixture.store.makeExperiment(population: 1)
            try await fixture.store.advance(step: 1, score: -0.0)
            let score = try await fixture.store.scores(of: "exp")[0].score
            #expect(score == 0 && score.sign == .plus, "read back \(score)")
            #expect(try await fixture.store.members(of: "exp")[0].score?.sign == .plus)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aNaNScoreIsRefusedAndNothingIsWritten(kind: StoreKind) async throws {
        try await StoreFixture.with(kind) { fixture in
            let store = fixture.store
            try await store.makeExperiment(population: 1)
            let member = try await store.claimMember()
            let error = await expectStoreError(.invalid) {
                _ = try await store.commit(point(member: member.slot, step: 1, score: .nan), scoreWindow: 1) { _ in [] }
            }
            #expect(error?.message.contains("NaN") == true)
            #expect(try await store.scores(of: "exp").isEmpty)
            #expect(try await store.members(of: "exp")[0].score == nil)
        }
    }
}
