import Testing

@testable import PBT

/// PB2 as the scheduler's explore strategy: suggestions from the history, recorded with their
/// explanation, pending configurations within a synchronous round.
@Suite("PB2 explore in the scheduler")
struct PB2ExploreTests {
    private let space = try! SearchSpace(["x": .uniform(lower: 0, upper: 1), "c": .constant(.number(3))])

    private func scheduler(mode: ScoreMode = .max) throws -> Scheduler {
        Scheduler(
            space: space, exploit: try Truncation(fraction: 0.5), explore: try PB2(space: space),
            schedule: try TrainingSchedule(steps: 100, interval: 10), mode: mode, seed: 21)
    }

    /// Four members, each with its own x, scoring 10·x·step/10 (faster with larger x), to step 40.
    private func history(sign: Double = 1) -> [PB2Record] {
        var records: [PB2Record] = []
        for step in stride(from: 10, through: 40, by: 10) {
            for member in 0..<4 {
                let x = 0.2 * Double(member + 1)
                records.append(
                    PB2Record(member: member, step: step, score: sign * x * Double(step), hyperparameters: values(x)))
            }
        }
        return records
    }

    private func values(_ x: Double) -> Hyperparameters { Hyperparameters(["x": .number(x), "c": .number(3)]) }

    private func members(sign: Double = 1) -> [MemberSnapshot] {
        (0..<4).map {
            let x = 0.2 * Double($0 + 1)
            return MemberSnapshot(slot: $0, step: 40, score: sign * x * 40, hyperparameters: values(x))
        }
    }

    @Test("a copier takes PB2's suggestion, every tunable value recorded as suggested with one explanation")
    func suggestionWithExplanation() throws {
        let decision = try scheduler().decide(member: 0, population: members(), history: history())
        guard case .exploit(let donor, let step, let chosen, let mutations) = decision else {
            Issue.record("expected an exploit, got \(decision)")
            return
        }
        #expect(donor >= 2 && step == 40)
        #expect(chosen["c"] == .number(3) && (0...1).contains(chosen.number("x") ?? -1))
        #expect(mutations.map(\.name) == ["c", "x"])
        #expect(mutations[0].operation == .unchanged)
        guard case .suggested(let why) = mutations[1].operation else {
            Issue.record("x was not suggested: \(mutations)")
            return
        }
        #expect(why.rows == 12 && why.window == 12 && why.pending == 0)
        // Rates grow with x: the GP's optimum is near the top of the domain.
        #expect(chosen.number("x")! > 0.5, "chose \(chosen)")
        // Pure: the same inputs give the same decision.
        #expect(try scheduler().decide(member: 0, population: members(), history: history()) == decision)
    }

    @Test("in min mode the history is oriented: lower scores are better")
    func minModeOrientsTheHistory() throws {
        // Member 0's score, −8, is the worst in min mode: it copies, and larger x lowers scores faster.
        let decision = try scheduler(mode: .min).decide(
            member: 0, population: members(sign: -1), history: history(sign: -1))
        guard case .exploit(_, _, let chosen, _) = decision else {
            Issue.record("expected an exploit, got \(decision)")
            return
        }
        #expect(chosen.number("x")! > 0.5, "chose \(chosen)")
    }

    @Test("without history PB2 draws from the prior, recorded as resampled")
    func noHistoryDrawsFromThePrior() throws {
        let decision = try scheduler().decide(member: 0, population: members())
        guard case .exploit(_, _, _, let mutations) = decision else {
            Issue.record("expected an exploit, got \(decision)")
            return
        }
        #expect(mutations.map(\.operation) == [.unchanged, .resampled])
    }

    @Test("pending: segments others started at the step count, and within a round each decider sees earlier choices")
    func pendingConfigurations() throws {
        let scheduler = try scheduler()
        let others = [PB2Record(member: 1, step: 40, score: 0, hyperparameters: values(0.9))]
        let elsewhere = [PB2Record(member: 1, step: 30, score: 0, hyperparameters: values(0.9))]
        for (pending, expected) in [(others, 1), (elsewhere, 0)] {
            let decision = scheduler.decide(member: 0, population: members(), history: history(), pending: pending)
            guard case .exploit(_, _, _, let mutations) = decision, case .suggested(let why) = mutations[1].operation
            else {
                Issue.record("expected a suggestion, got \(decision)")
                continue
            }
            #expect(why.pending == expected)
        }
        let round = scheduler.round(members(), history: history())
        let seen = round.compactMap { change -> Int? in
            guard let event = change.event, event.donor != change.slot,
                case .suggested(let why) = event.mutations[1].operation
            else { return nil }
            return why.pending
        }
        #expect(seen == [0, 1], "pending seen by the round's two copiers: \(round)")
    }
}
