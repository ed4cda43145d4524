import Testing

@testable import PBT

extension Scheduler {
    /// This scheduler with synchronous rounds (same budget, interval or seconds, burn-in).
    var synchronous: Scheduler {
        let rounds =
            if let seconds = schedule.seconds {
                try! TrainingSchedule(
                    steps: schedule.steps, seconds: seconds, burnIn: schedule.burnIn, synchronous: true)
            } else {
                try! TrainingSchedule(
                    steps: schedule.steps, interval: schedule.interval, burnIn: schedule.burnIn, synchronous: true)
            }
        return Scheduler(
            space: space, exploit: exploit, explore: explore, schedule: rounds, mode: mode, seed: seed, replay: replay)
    }

    /// The changes of a synchronous round of every member of `population`: all wait but the
    /// last slot, whose ready point releases the round.
    func round(_ population: [MemberSnapshot], history: [PB2Record] = []) -> [MemberChange] {
        var members = population
        for slot in members.indices.dropLast() { members[slot].status = .waiting }
        var machine = PopulationStateMachine(scheduler: synchronous, members: members, history: history)
        guard case .update(let changes) = machine.receive(.readyPoint(member: members.count - 1)) else {
            Issue.record("the last member to arrive must decide the round")
            return []
        }
        return changes
    }
}

/// The synchronous barrier and the decisions' effect on the members, without a store.
@Suite("Population state machine")
struct PopulationStateMachineTests {
    private func scheduler(synchronous: Bool = true, seconds: Double? = nil) -> Scheduler {
        let schedule =
            if let seconds {
                try! TrainingSchedule(steps: 100, seconds: seconds, synchronous: synchronous)
            } else {
                try! TrainingSchedule(steps: 100, interval: 10, synchronous: synchronous)
            }
        return Scheduler(
            space: try! SearchSpace(["x": .uniform(lower: 0, upper: 1)]), exploit: try! Truncation(fraction: 0.5),
            explore: try! Perturb(), schedule: schedule, seed: 5)
    }

    private func members(steps: [Int], scores: [Double?], statuses: [MemberStatus]) -> [MemberSnapshot] {
        steps.indices.map {
            MemberSnapshot(
                slot: $0, step: steps[$0], score: scores[$0], recentScores: scores[$0].map { [$0] } ?? [],
                hyperparameters: Hyperparameters(["x": .number(0.1 * Double($0 + 1))]), status: statuses[$0])
        }
    }

    @Test("a round arrival by arrival: the first arrivals wait, the last decides for all, best first")
    func aRoundEventByEvent() throws {
        var machine = PopulationStateMachine(
            scheduler: scheduler(),
            members: members(
                steps: [10, 0, 0, 0], scores: [1, nil, nil, nil], statuses: [.ready, .ready, .ready, .ready]))
        #expect(machine.receive(.readyPoint(member: 0)) == .wait(member: 0))
        #expect(machine.members[0].status == .waiting)
        // Members 1 and 2 record their ready points and wait in turn; as in a store, each
        // arrival's machine starts from the population as the previous ones left it.
        for (slot, score) in [(1, 4.0), (2, 2.0)] {
            #expect(machine.members[slot].status == .ready)
            var arrived = machine.members
            arrived[slot].step = 10
            arrived[slot].score = score
            machine = PopulationStateMachine(scheduler: machine.scheduler, members: arrived)
            #expect(machine.receive(.readyPoint(member: slot)) == .wait(member: slot))
        }
        var last = machine.members
        last[3].step = 10
        last[3].score = 3
        machine = PopulationStateMachine(scheduler: machine.scheduler, members: last)
        guard case .update(let changes) = machine.receive(.readyPoint(member: 3)) else {
            Issue.record("the last to arrive must decide")
            return
        }
        #expect(changes.map(\.slot) == [1, 3, 2, 0], "best first")
        #expect(changes.allSatisfy { $0.status == .ready && $0.step == 10 })
        let copies = changes.filter { $0.weightsOf != $0.slot }
        #expect(copies.map(\.slot) == [2, 0], "the bottom half copies")
        for copy in copies {
            let event = try #require(copy.event)
            #expect([1, 3].contains(event.donor) && copy.weightsOf == event.donor && event.donorStep == 10)
            #expect(copy.hyperparameters == event.after && machine.members[copy.slot].hyperparameters == event.after)
        }
        #expect(machine.members.allSatisfy { $0.status == .ready })
    }

    @Test("a stored round is not released while any unfinished member lags; done and failed members do not count")
    func stragglers() {
        var lagging = PopulationStateMachine(
            scheduler: scheduler(),
            members: members(
                steps: [20, 10, 20, 20], scores: [1, 2, 3, 4], statuses: [.ready, .ready, .waiting, .waiting]))
        #expect(lagging.receive(.readyPoint(member: 0)) == .wait(member: 0))
        var finished = PopulationStateMachine(
            scheduler: scheduler(),
            members: members(
                steps: [20, 100, 10, 20], scores: [1, 2, 3, 4], statuses: [.ready, .done, .failed, .waiting]))
        guard case .update(let changes) = finished.receive(.readyPoint(member: 0)) else {
            Issue.record("with the others done or failed, the round is the two members at step 20")
            return
        }
        #expect(changes.map(\.slot).sorted() == [0, 3])
    }

    @Test("a member that leaves releases a round whose others all wait; nothing while one trains, or asynchronously")
    func leaving() {
        let waiting = members(
            steps: [20, 10, 20, 20], scores: [1, nil, 2, 3], statuses: [.waiting, .failed, .waiting, .waiting])
        var released = PopulationStateMachine(scheduler: scheduler(), members: waiting)
        guard case .update(let changes) = released.receive(.left(member: 1)) else {
            Issue.record("the round must be released")
            return
        }
        #expect(changes.map(\.slot) == [3, 2, 0])
        var training = waiting
        training[2].status = .ready
        var held = PopulationStateMachine(scheduler: scheduler(), members: training)
        #expect(held.receive(.left(member: 1)) == .none)
        var asynchronous = PopulationStateMachine(scheduler: scheduler(synchronous: false), members: waiting)
        #expect(asynchronous.receive(.left(member: 1)) == .none)
    }

    @Test("time-based rounds: members wait at any step; one done at the budget leaves and releases the others")
    func timeBased() {
        var waits = PopulationStateMachine(
            scheduler: scheduler(seconds: 0.5),
            members: members(steps: [37, 12, 58], scores: [1, 2, 3], statuses: [.ready, .ready, .waiting]))
        #expect(waits.receive(.readyPoint(member: 0)) == .wait(member: 0))
        var decides = PopulationStateMachine(
            scheduler: scheduler(seconds: 0.5),
            members: members(steps: [37, 12, 58], scores: [1, 2, 3], statuses: [.ready, .waiting, .waiting]))
        guard case .update(let round) = decides.receive(.readyPoint(member: 0)) else {
            Issue.record("the last to arrive decides, whatever the steps")
            return
        }
        #expect(round.map(\.slot) == [2, 1, 0])
        var leaves = PopulationStateMachine(
            scheduler: scheduler(seconds: 0.5),
            members: members(steps: [100, 12, 58], scores: [1, 2, 3], statuses: [.ready, .waiting, .waiting]))
        guard case .update(let changes) = leaves.receive(.readyPoint(member: 0)) else {
            Issue.record("the member done at the budget must leave and release the round")
            return
        }
        #expect(
            changes.first
                == MemberChange(
                    slot: 0, step: 100, status: .done, hyperparameters: leaves.members[0].hyperparameters, weightsOf: 0)
        )
        #expect(changes.dropFirst().map(\.slot) == [2, 1])
    }

    @Test("a member that copies a donor which copied earlier in the round takes what the donor took")
    func weightsFollowTheChainOfCopies() throws {
        let recent = [[0.5, 0.51, 0.52, 0.53], [0.9, 0.91, 0.92, 0.93], [0.1, 0.11, 0.12, 0.13]]
        let population = [40, 44, 42].enumerated().map { slot, step in
            MemberSnapshot(
                slot: slot, step: step, score: recent[slot].last, recentScores: recent[slot],
                hyperparameters: Hyperparameters(["x": .number(0.1 * Double(slot + 1))]))
        }
        var chains = 0
        for seed in UInt64(0)..<64 {
            let scheduler = Scheduler(
                space: try SearchSpace(["x": .uniform(lower: 0, upper: 1)]), exploit: try TTestSelection(window: 4),
                explore: try Perturb(), schedule: try TrainingSchedule(steps: 100, seconds: 1), mode: .max, seed: seed)
            var weights = [0, 1, 2], steps = population.map(\.step)
            for change in scheduler.round(population) {
                guard let event = change.event else { continue }
                if weights[event.donor] != event.donor { chains += 1 }
                #expect(change.weightsOf == weights[event.donor], "seed \(seed)")
                #expect(change.step == steps[event.donor] && event.donorStep == steps[event.donor], "seed \(seed)")
                weights[change.slot] = change.weightsOf
                steps[change.slot] = change.step
            }
        }
        #expect(chains > 0, "some seed makes a member copy a donor that copied earlier in the round")
    }

    @Test("asynchronous: the committing member decides alone; at the budget it is done")
    func asynchronous() throws {
        var machine = PopulationStateMachine(
            scheduler: scheduler(synchronous: false),
            members: members(
                steps: [20, 20, 10, 100], scores: [1, 4, 2, 3], statuses: [.ready, .ready, .ready, .ready]))
        guard case .update(let copy) = machine.receive(.readyPoint(member: 0)), copy.count == 1 else {
            Issue.record("one change for the committing member")
            return
        }
        let event = try #require(copy[0].event, "the worst member copies")
        #expect(copy[0].slot == 0 && copy[0].step == event.donorStep && copy[0].weightsOf == event.donor)
        guard case .update(let done) = machine.receive(.readyPoint(member: 3)) else {
            Issue.record("one change for the committing member")
            return
        }
        #expect(done.map(\.status) == [.done] && machine.members[3].status == .done)
    }

    @Test("a copy that ends a member at the budget gives it the donor's score; an earlier copy keeps its own")
    func copyAtTheBudgetTakesTheDonorsScore() {
        for (donorStep, score) in [(100, 0.9), (60, 0.1)] {
            var machine = PopulationStateMachine(
                scheduler: scheduler(synchronous: false),
                members: members(
                    steps: [donorStep, 40], scores: [0.9, 0.1], statuses: [donorStep == 100 ? .done : .ready, .ready]))
            guard case .update(let changes) = machine.receive(.readyPoint(member: 1)), let change = changes.first
            else {
                Issue.record("the member's ready point must be decided")
                continue
            }
            #expect(change.event?.donor == 0 && change.step == donorStep)
            #expect(change.status == (donorStep == 100 ? .done : .ready))
            #expect(change.score == (donorStep == 100 ? 0.9 : nil))
            #expect(machine.members[1].score == score)
        }
    }
}
