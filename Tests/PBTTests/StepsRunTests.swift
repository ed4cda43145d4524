import Testing

@testable import PBT

@Suite("Training steps actually run, from scores and events")
struct StepsRunTests {
    private func event(_ sequence: Int, member: Int, step: Int, donor: Int, donorStep: Int) -> ExploitEvent {
        let h = Hyperparameters(["x": 0.5])
        return ExploitEvent(
            sequence: sequence, member: member, step: step, donor: donor, donorStep: donorStep, before: h, after: h,
            mutations: [])
    }

    private func points(_ pairs: [(Int, Int)]) -> [StepsRun.Point] {
        pairs.map { StepsRun.Point(member: $0.0, step: $0.1) }
    }

    @Test("without events each member runs up to its last score")
    func noEvents() {
        let scores = points([(0, 4), (1, 4), (0, 8), (1, 8), (0, 12)])
        #expect(StepsRun.perMember(members: 2, scores: scores, events: []) == [12, 8])
    }

    @Test("an exploit of a donor at an earlier step repeats the steps in between; an explore repeats none")
    func exploitsRepeatSteps() {
        // Member 1 is at 8 when it copies member 0's weights at step 4 and trains 4→8→12;
        // then at 12 it copies member 0 at step 0 (a fresh start) and trains 0→4.
        // Member 0 explores its own values at 8 (donor step 8: nothing repeated).
        let scores = points([(0, 4), (1, 4), (1, 8), (0, 8), (1, 8), (0, 12), (1, 12), (1, 4)])
        let events = [
            event(2, member: 1, step: 12, donor: 0, donorStep: 0),
            event(0, member: 1, step: 8, donor: 0, donorStep: 4),
            event(1, member: 0, step: 8, donor: 0, donorStep: 8),
        ]
        #expect(StepsRun.perMember(members: 2, scores: scores, events: events) == [12, 4 + 4 + 4 + 4 + 4])
        #expect(StepsRun.total(members: 2, scores: scores, events: events) == 32)
    }

    @Test("a second visit to a step without a decision there does not take the later event")
    func revisitedStep() {
        // Member 0 scores at 8 (no event), moves on to 12, copies member 1 at 4, reaches 8 again
        // and copies member 1 at step 4 once more.
        let scores = points([(0, 4), (0, 8), (0, 12), (0, 8), (0, 12)])
        let events = [
            event(0, member: 0, step: 12, donor: 1, donorStep: 4),
            event(1, member: 0, step: 8, donor: 1, donorStep: 4),
        ]
        #expect(StepsRun.perMember(members: 2, scores: scores, events: events) == [12 + 4 + 8, 0])
    }
}
