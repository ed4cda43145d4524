import Testing

@testable import PBT

/// A scheduler with a replay schedule applies the recorded hyperparameters at their steps and
/// hands out the recorded trainable seed.
@Suite("Replay schedule")
struct ReplayScheduleTests {
    let replay = ReplaySchedule(
        entries: [
            ScheduleEntry(step: 0, member: 2, hyperparameters: Hyperparameters(["x": 0.1])),
            ScheduleEntry(step: 8, member: 0, hyperparameters: Hyperparameters(["x": 0.2])),
            ScheduleEntry(step: 20, member: 0, hyperparameters: Hyperparameters(["x": 0.3])),
        ],
        trainableSeed: 12345)

    func scheduler() throws -> Scheduler {
        Scheduler(
            space: try SearchSpace(["x": .uniform(lower: 0, upper: 1)]), exploit: try Truncation(fraction: 0.5),
            explore: try Perturb(), schedule: try TrainingSchedule(steps: 40, interval: 4), seed: 9, replay: replay)
    }

    @Test("the recorded values at their steps, .continue elsewhere, .done at the budget")
    func decisions() throws {
        let scheduler = try scheduler()
        let at = { (step: Int, x: Double) in
            scheduler.decide(
                member: 0, population: population([1.0, 0.0], step: step, h: Hyperparameters(["x": .number(x)])))
        }
        #expect(at(4, 0.1) == .continue)
        #expect(at(8, 0.1) == .explore(hyperparameters: Hyperparameters(["x": 0.2]), mutations: []))
        #expect(at(12, 0.2) == .continue)
        #expect(at(20, 0.2) == .explore(hyperparameters: Hyperparameters(["x": 0.3]), mutations: []))
        #expect(at(20, 0.3) == .continue, "nothing to change when the values are already in force")
        #expect(at(40, 0.3) == .done)
    }

    @Test("every member gets the recorded trainable seed")
    func seed() throws {
        let scheduler = try scheduler()
        #expect(scheduler.trainableSeed(member: 0) == 12345 && scheduler.trainableSeed(member: 3) == 12345)
        #expect(replay.initialHyperparameters == Hyperparameters(["x": 0.1]))
    }
}
