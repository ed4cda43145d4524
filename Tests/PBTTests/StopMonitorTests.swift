import Testing

@testable import PBT

/// The stopping rules as a fold over ready points: exact, order-driven, mode-aware.
@Suite("Stop rules")
struct StopMonitorTests {
    private func fold(_ scores: [Double], _ rules: StopRules, mode: ScoreMode = .max) -> (Int, StopReason)? {
        var monitor = StopMonitor(rules: rules, mode: mode)
        for (index, score) in scores.enumerated() {
            if let reason = monitor.record(member: index % 2, step: 10 * (index + 1), score: score) {
                return (index, reason)
            }
        }
        return nil
    }

    @Test("score: the first ready point at or beyond the target, as reported in either mode")
    func target() throws {
        let hit = try #require(fold([0.5, 0.8, 0.95, 0.99], try StopRules(score: 0.95)))
        #expect(hit.0 == 2 && hit.1 == .score(target: 0.95, member: 0, step: 30, score: 0.95))
        #expect(hit.1.rule == "score" && hit.1.detail == "member 0 reached the target score 0.95 at step 30 (0.95)")
        let loss = try #require(fold([3, 2, 0.4, 0.1], try StopRules(score: 0.5), mode: .min))
        #expect(loss.0 == 2)
        #expect(fold([0.5, -.infinity], try StopRules(score: 0.9)) == nil)
    }

    @Test("plateau: window ready points in a row without an improvement of min_delta")
    func plateau() throws {
        let rules = try StopRules(plateau: StopRules.Plateau(window: 3, minDelta: 0.1))
        // 1.0 is the best; 1.05 improves by less than 0.1, so it neither counts nor resets.
        let stop = try #require(fold([1.0, 1.05, 0.2, 1.09], rules))
        #expect(stop.0 == 3 && stop.1 == .plateau(window: 3, minDelta: 0.1, best: 1.0))
        #expect(fold([1.0, 1.05, 1.2, 0.3, 1.25], rules) == nil, "1.2 reset the count")
        #expect(try #require(fold([1.0, 1.05, 1.2, 0.3, 1.25, 1.29], rules)).0 == 5)
        let strict = try StopRules(plateau: StopRules.Plateau(window: 2))
        #expect(fold([1, 1, 2, 2.5, 3], strict) == nil, "with min_delta 0 any strict improvement counts")
        #expect(try #require(fold([1, 1, 1], strict)).0 == 2, "an equal score is no improvement")
        let loss = try #require(fold([5, 4, 4.5, 4.2], strict, mode: .min))
        #expect(loss.1 == .plateau(window: 2, minDelta: 0, best: 4))
    }

    @Test("seconds: the budget, and what the rules accept")
    func secondsAndValidation() throws {
        let monitor = StopMonitor(rules: try StopRules(seconds: 60), mode: .max)
        #expect(monitor.timeUp(elapsed: 59.9) == nil)
        #expect(monitor.timeUp(elapsed: 60) == .seconds(budget: 60, elapsed: 60))
        #expect(StopMonitor(rules: try StopRules(score: 1), mode: .max).timeUp(elapsed: 1e9) == nil)
        #expect(throws: PBTError.self) { try StopRules(score: .nan) }
        #expect(throws: PBTError.self) { try StopRules(seconds: 0) }
        #expect(throws: PBTError.self) { try StopRules(seconds: -.infinity) }
        #expect(throws: PBTError.self) { try StopRules.Plateau(window: 0) }
        #expect(throws: PBTError.self) { try StopRules.Plateau(window: 2, minDelta: -1) }
        #expect(try StopRules().isEmpty && !(try StopRules(seconds: 1).isEmpty))
    }
}
