import PBT
import PBTRuntime
import PBTStore
import Testing

/// The synchronous barrier and the decision → store update, without a store.
@Suite("Decider: rounds and updates")
struct DeciderTests {
    private func decider(synchronous: Bool) throws -> Decider {
        Decider(
            scheduler: Scheduler(
                space: try SearchSpace(["x": .uniform(lower: 0, upper: 1)]), exploit: try Truncation(fraction: 0.5),
                explore: try Perturb(), schedule: try TrainingSchedule(steps: 100, interval: 10, synchronous: synchronous),
                seed: 5))
    }

    /// Four members at `steps`, with `scores`, statuses and checkpoints 100 + slot.
    private func state(steps: [Int], scores: [Double?], statuses: [MemberStatus]) -> PopulationState {
        let members = (0..<steps.count).map {
            MemberRecord(
                slot: $0, step: steps[$0], status: statuses[$0], hyperparameters: Hyperparameters(["x": .number(0.1 * Double($0 + 1))]),
                checkpoint: Int64(100 + $0), score: scores[$0])
        }
        return PopulationState(
            members: members, recentScores: scores.map { $0.map { [$0] } ?? [] },
            lastExploitSteps: Array(repeating: nil, count: steps.count))
    }

    @Test("synchronous: a member waits until every unfinished member reached its step")
    func waitsForStragglers() throws {
        let updates = try decider(synchronous: true).updates(
            committing: 0, in: state(steps: [20, 10, 20, 20], scores: [1, 2, 3, 4], statuses: [.ready, .ready, .waiting, .waiting]))
        #expect(updates.count == 1)
        #expect(updates[0].slot == 0 && updates[0].status == .waiting && updates[0].step == 20 && updates[0].event == nil)
    }

    @Test("synchronous: the last to arrive decides for the round; copies take the donor's checkpoint and step")
    func lastArrivalDecidesTheRound() throws {
        let updates = try decider(synchronous: true).updates(
            committing: 1, in: state(steps: [20, 20, 20, 20], scores: [1, 4, 2, 3], statuses: [.waiting, .ready, .waiting, .waiting]))
        #expect(updates.map(\.slot).sorted() == [0, 1, 2, 3])
        #expect(updates.allSatisfy { $0.status == .ready && $0.step == 20 })
        let copies = updates.filter { $0.event != nil }
        #expect(copies.map(\.slot).sorted() == [0, 2], "the bottom half copies")
        for copy in copies {
            let donor = try #require(copy.event?.donor)
            #expect([1, 3].contains(donor))
            #expect(copy.checkpoint == Int64(100 + donor))
        }
    }

    @Test("asynchronous: the committing member decides alone; a finished budget is done")
    func asynchronous() throws {
        let decider = try decider(synchronous: false)
        let copy = decider.updates(
            committing: 0, in: state(steps: [20, 20, 10, 20], scores: [1, 4, 2, 3], statuses: [.ready, .ready, .ready, .ready]))
        #expect(copy.count == 1 && copy[0].slot == 0)
        let event = try #require(copy[0].event, "the worst member copies")
        #expect(copy[0].step == event.donorStep && copy[0].checkpoint == Int64(100 + event.donor))
        let done = decider.updates(
            committing: 2, in: state(steps: [20, 20, 100, 20], scores: [1, 4, 2, 3], statuses: [.ready, .ready, .ready, .ready]))
        #expect(done.count == 1 && done[0].status == .done)
    }
}
