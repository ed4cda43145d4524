import PBT
import PBTStore
import Testing

@testable import PBTRuntime

/// The synchronous barrier and the decision → store update, without a store.
@Suite("Decider: rounds and updates")
struct DeciderTests {
    private func decider(synchronous: Bool) throws -> Decider {
        Decider(
            scheduler: Scheduler(
                space: try SearchSpace(["x": .uniform(lower: 0, upper: 1)]), exploit: try Truncation(fraction: 0.5),
                explore: try Perturb(),
                schedule: try TrainingSchedule(steps: 100, interval: 10, synchronous: synchronous),
                seed: 5))
    }

    /// Four members at `steps`, with `scores`, statuses and checkpoints 100 + slot.
    private func state(steps: [Int], scores: [Double?], statuses: [MemberStatus]) -> PopulationState {
        let members = (0..<steps.count).map {
            MemberRecord(
                slot: $0, step: steps[$0], status: statuses[$0],
                hyperparameters: Hyperparameters(["x": .number(0.1 * Double($0 + 1))]),
                checkpoint: Int64(100 + $0), score: scores[$0])
        }
        return PopulationState(
            members: members, recentScores: scores.map { $0.map { [$0] } ?? [] },
            lastExploitSteps: Array(repeating: nil, count: steps.count))
    }

    @Test("synchronous: a member waits until every unfinished member reached its step")
    func waitsForStragglers() throws {
        let updates = try decider(synchronous: true).updates(
            committing: 0,
            in: state(steps: [20, 10, 20, 20], scores: [1, 2, 3, 4], statuses: [.ready, .ready, .waiting, .waiting]))
        #expect(updates.count == 1)
        #expect(
            updates[0].slot == 0 && updates[0].status == .waiting && updates[0].step == 20 && updates[0].event == nil)
    }

    @Test("synchronous: the last to arrive decides for the round; copies take the donor's checkpoint and step")
    func lastArrivalDecidesTheRound() throws {
        let updates = try decider(synchronous: true).updates(
            committing: 1,
            in: state(
                steps: [20, 20, 20, 20], scores: [1, 4, 2, 3], statuses: [.waiting, .ready, .waiting, .waiting]))
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

    @Test("a member that leaves (failed for good) releases a synchronous round whose others all wait")
    func leavingReleasesTheWaitingRound() throws {
        let synchronous = try decider(synchronous: true)
        let released = synchronous.updates(
            leaving: 1,
            in: state(
                steps: [20, 10, 20, 20], scores: [1, nil, 2, 3], statuses: [.waiting, .failed, .waiting, .waiting]))
        #expect(released.map(\.slot).sorted() == [0, 2, 3], "the round is decided without the failed member")
        #expect(released.allSatisfy { $0.status == .ready && $0.step == 20 })
        #expect(released.filter { $0.event?.donor != nil && $0.event?.donor != $0.slot }.count == 1, "the worst copies")
        let stillTraining = synchronous.updates(
            leaving: 1,
            in: state(
                steps: [20, 10, 10, 20], scores: [1, nil, 2, 3], statuses: [.waiting, .failed, .ready, .waiting]))
        #expect(stillTraining.isEmpty, "a member still training decides when it arrives")
        let asynchronous = try decider(synchronous: false).updates(
            leaving: 1,
            in: state(steps: [20, 10, 20, 20], scores: [1, nil, 2, 3], statuses: [.ready, .failed, .ready, .ready]))
        #expect(asynchronous.isEmpty)
    }

    @Test("asynchronous: the committing member decides alone; a finished budget is done")
    func asynchronous() throws {
        let decider = try decider(synchronous: false)
        let copy = decider.updates(
            committing: 0,
            in: state(steps: [20, 20, 10, 20], scores: [1, 4, 2, 3], statuses: [.ready, .ready, .ready, .ready]))
        #expect(copy.count == 1 && copy[0].slot == 0)
        let event = try #require(copy[0].event, "the worst member copies")
        #expect(copy[0].step == event.donorStep && copy[0].checkpoint == Int64(100 + event.donor))
        let done = decider.updates(
            committing: 2,
            in: state(steps: [20, 20, 100, 20], scores: [1, 4, 2, 3], statuses: [.ready, .ready, .ready, .ready]))
        #expect(done.count == 1 && done[0].status == .done)
    }
}

/// How a store's scores and events become PB2's records.
@Suite("PB2 history from a store's records")
struct PB2HistoryTests {
    private func h(_ x: Double) -> Hyperparameters { Hyperparameters(["x": .number(x)]) }

    private func event(
        _ sequence: Int, member: Int, step: Int, donor: Int, donorStep: Int, to x: Double
    ) -> ExploitEvent {
        ExploitEvent(
            sequence: sequence, member: member, step: step, donor: donor, donorStep: donorStep, before: h(0),
            after: h(x),
            mutations: [])
    }

    @Test(
        "each score, then after an event a new segment from the donor's step and score; untrained starts are open"
    )
    func segmentsAndOpenStarts() {
        let scores = [
            ScoreRecord(member: 0, step: 10, score: 1, hyperparameters: h(0.1)),
            ScoreRecord(member: 1, step: 10, score: 2, hyperparameters: h(0.2)),
            ScoreRecord(member: 0, step: 20, score: 3, hyperparameters: h(0.5)),
            ScoreRecord(member: 1, step: 20, score: 4, hyperparameters: h(0.2)),
        ]
        let events = [
            event(1, member: 0, step: 10, donor: 1, donorStep: 10, to: 0.5),
            event(2, member: 1, step: 20, donor: 1, donorStep: 20, to: 0.7),
        ]
        let history = PB2History(scores: scores, events: events)
        #expect(
            history.records == [
                PB2Record(member: 0, step: 10, score: 1, hyperparameters: h(0.1)),
                // Member 0's copy of member 1, whose score was recorded after member 0's.
                PB2Record(member: 0, step: 10, score: 2, hyperparameters: h(0.5)),
                PB2Record(member: 1, step: 10, score: 2, hyperparameters: h(0.2)),
                PB2Record(member: 0, step: 20, score: 3, hyperparameters: h(0.5)),
                PB2Record(member: 1, step: 20, score: 4, hyperparameters: h(0.2)),
                PB2Record(member: 1, step: 20, score: 4, hyperparameters: h(0.7)),
            ])
        #expect(history.openSegments == [PB2Record(member: 1, step: 20, score: 4, hyperparameters: h(0.7))])
    }

    @Test("a start whose donor score the window cut is left out; an event without its score is ignored")
    func cutWindow() {
        let scores = [
            ScoreRecord(member: 0, step: 20, score: 3, hyperparameters: h(0.1)),
            ScoreRecord(member: 0, step: 30, score: 4, hyperparameters: h(0.5)),
        ]
        let events = [
            event(1, member: 0, step: 10, donor: 1, donorStep: 10, to: 0.9),
            event(2, member: 0, step: 20, donor: 1, donorStep: 15, to: 0.5),
        ]
        let history = PB2History(scores: scores, events: events)
        #expect(history.records.map(\.score) == [3, 4])
        #expect(history.openSegments.isEmpty)
    }
}
