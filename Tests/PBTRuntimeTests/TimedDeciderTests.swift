import PBT
import PBTStore
import Testing

@testable import PBTRuntime

/// Synchronous rounds with time-based readiness: members reach their ready points at different
/// steps; the round is everyone's next ready point, decided from stored statuses and steps.
@Suite("Decider: time-based rounds")
struct TimedDeciderTests {
    private let decider = Decider(
        scheduler: Scheduler(
            space: try! SearchSpace(["x": .uniform(lower: 0, upper: 1)]), exploit: try! Truncation(fraction: 0.5),
            explore: try! Perturb(), schedule: try! TrainingSchedule(steps: 100, seconds: 0.5, synchronous: true),
            seed: 5))

    private func state(steps: [Int], scores: [Double?], statuses: [MemberStatus]) -> PopulationState {
        let members = (0..<steps.count).map {
            MemberRecord(
                slot: $0, step: steps[$0], status: statuses[$0],
                hyperparameters: Hyperparameters(["x": .number(0.1 * Double($0 + 1))]), checkpoint: Int64(100 + $0),
                score: scores[$0])
        }
        return PopulationState(
            members: members, recentScores: scores.map { $0.map { [$0] } ?? [] },
            lastExploitSteps: Array(repeating: nil, count: steps.count))
    }

    @Test("a schedule in seconds has the budget as its step interval and is validated")
    func schedule() throws {
        let schedule = try TrainingSchedule(steps: 100, seconds: 2.5)
        #expect(schedule.isTimeBased && schedule.interval == 100 && schedule.nextReadyStep(after: 37) == 100)
        for bad in [0, -1, Double.nan, .infinity] {
            #expect(throws: PBTError.self) { try TrainingSchedule(steps: 100, seconds: bad) }
        }
        #expect(try TrainingSchedule(steps: 100, interval: 10).seconds == nil)
    }

    @Test("a member waits while another has not reached its ready point, at whatever step")
    func waits() {
        let updates = decider.updates(
            committing: 0,
            in: state(steps: [23, 11, 19, 30], scores: [1, 2, 3, 4], statuses: [.ready, .ready, .waiting, .waiting]))
        #expect(updates.count == 1 && updates[0].status == .waiting && updates[0].step == 23)
    }

    @Test("the last to arrive decides for everyone, at their different steps")
    func lastDecides() throws {
        let updates = decider.updates(
            committing: 1,
            in: state(
                steps: [23, 41, 19, 30], scores: [1, 4, 2, 3], statuses: [.waiting, .ready, .waiting, .waiting]))
        #expect(updates.map(\.slot).sorted() == [0, 1, 2, 3])
        for copy in updates where copy.event != nil {
            let event = try #require(copy.event)
            #expect([1, 3].contains(event.donor) && copy.step == event.donorStep)
            #expect(copy.checkpoint == Int64(100 + event.donor))
        }
        #expect(updates.filter { $0.event != nil }.map(\.slot).sorted() == [0, 2])
        #expect(updates.allSatisfy { $0.status == .ready })
    }

    @Test("a member done at the budget leaves the round; the last to arrive releases the waiting ones")
    func doneReleasesTheRound() {
        let updates = decider.updates(
            committing: 3,
            in: state(
                steps: [23, 41, 19, 100], scores: [1, 4, 2, 3], statuses: [.waiting, .waiting, .waiting, .ready]))
        #expect(updates.first?.slot == 3 && updates.first?.status == .done)
        #expect(updates.dropFirst().map(\.slot).sorted() == [0, 1, 2])
        // Ready again, or done by copying the finished member (directly, or a member that copied
        // it earlier in the round): then with its weights and its score.
        for update in updates.dropFirst() {
            #expect(update.status == (update.step >= 100 ? .done : .ready))
            #expect(update.status == .ready || (update.checkpoint == 103 && update.score == 3))
            #expect(update.status == .done || update.score == nil)
        }
        let alone = decider.updates(
            committing: 3,
            in: state(steps: [23, 41, 19, 100], scores: [1, 4, 2, 3], statuses: [.waiting, .ready, .waiting, .ready]))
        #expect(alone.count == 1 && alone[0].status == .done, "member 1 is still training: nobody decides yet")
    }
}
