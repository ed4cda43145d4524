import Testing

@testable import PBT

@Suite("Scheduler decisions")
struct SchedulerTests {
    func scheduler(
        exploit: any ExploitStrategy = try! Truncation(fraction: 0.5), explore: any ExploreStrategy = try! Perturb(),
        burnIn: Int = 0, mode: ScoreMode = .max
    ) -> Scheduler {
        Scheduler(
            space: try! SearchSpace(["x": .uniform(lower: 0, upper: 1)]), exploit: exploit, explore: explore,
            schedule: try! TrainingSchedule(steps: 100, interval: 4, burnIn: burnIn), mode: mode, seed: 11)
    }

    @Test("done at the budget, continue before burn-in")
    func budgetAndBurnIn() {
        #expect(scheduler().decide(member: 0, population: population([0, 1], step: 100)) == .done)
        #expect(scheduler(burnIn: 20).decide(member: 0, population: population([0, 1], step: 16)) == .continue)
        if case .exploit(let donor, let step, _, _) = scheduler(burnIn: 20).decide(
            member: 0, population: population([0, 1], step: 20))
        {
            #expect(donor == 1 && step == 20)
        } else {
            Issue.record("the bottom member past burn-in must exploit")
        }
    }

    @Test("min mode ranks lower scores higher")
    func minMode() {
        #expect(scheduler(mode: .min).decide(member: 0, population: population([0, 1])) == .continue)
        #expect(scheduler(mode: .min).decide(member: 1, population: population([0, 1])) != .continue)
    }

    @Test("exploit none with an explore strategy explores the member's own values (explore-only ablation)")
    func exploreOnly() {
        let decision = scheduler(exploit: NoExploit()).decide(member: 0, population: population([0, 1]))
        guard case .explore(let h, let mutations) = decision else {
            Issue.record("expected explore, got \(decision)")
            return
        }
        #expect(h["x"] != 0.5 && mutations.count == 1)
        #expect(
            scheduler(exploit: NoExploit(), explore: NoExplore()).decide(member: 0, population: population([0, 1]))
                == .continue)
    }

    @Test("strategies say whether they copy or change: keep_improving around none still explores on its own")
    func strategiesSayWhatTheyDo() throws {
        let wrapped = try KeepImproving(NoExploit(), window: 4)
        let truncation = try Truncation(fraction: 0.5), perturb = try Perturb()
        #expect(!wrapped.copiesDonors && !NoExploit().copiesDonors && truncation.copiesDonors)
        #expect(!NoExplore().changesValues && perturb.changesValues)
        let decision = scheduler(exploit: wrapped).decide(member: 0, population: population([0, 1]))
        guard case .explore = decision else {
            Issue.record("expected explore, got \(decision)")
            return
        }
    }

    @Test("the same seed gives the same decision, whatever else happened")
    func deterministic() {
        let members = population([0.1, 0.1, 0.5, 0.9, 0.2])
        let first = (0..<5).map { scheduler().decide(member: $0, population: members) }
        let second = (0..<5).map { scheduler().decide(member: $0, population: members) }
        #expect(first == second)
    }

    @Test("a synchronous round decides best first and later deciders see earlier choices")
    func round() {
        let changes = scheduler().round(population([0.3, 0.9, 0.1, 0.5]))
        #expect(changes.map(\.slot) == [1, 3, 0, 2])
        let copies = changes.filter { $0.weightsOf != $0.slot }
        #expect(copies.map(\.slot) == [0, 2], "the bottom half copies")
        #expect(copies.allSatisfy { [1, 3].contains($0.weightsOf) }, "from the top half")
    }

    @Test("progress rule 1: a member copies again only past the step where it last copied")
    func copiesOnlyPastItsLastCopy() {
        var members = population([0, 1], step: 8)
        members[0].lastExploitStep = 8
        #expect(scheduler().decide(member: 0, population: members) == .continue)
        members[0].lastExploitStep = 4
        guard case .exploit(let donor, _, _, _) = scheduler().decide(member: 0, population: members) else {
            Issue.record("past its last copy, the bottom member must copy")
            return
        }
        #expect(donor == 1)
    }

    @Test("progress rule 2: a donor may lag by at most one interval")
    func donorLagsAtMostOneInterval() {
        var members = population([0, 1], step: 12)
        members[1].step = 8
        guard case .exploit(_, let donorStep, _, _) = scheduler().decide(member: 0, population: members) else {
            Issue.record("a donor one interval behind may be copied")
            return
        }
        #expect(donorStep == 8)
        members[1].step = 4
        #expect(scheduler().decide(member: 0, population: members) == .continue)
    }

    @Test("a synchronous round ranks an unscored member last in min mode too")
    func unscoredRanksLast() {
        let order = scheduler(mode: .min).roundOrder([0, 1, 2], population: population([nil, 0.5, 0.9]))
        #expect(order == [1, 2, 0])
    }
}
