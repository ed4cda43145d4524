import PBT
import PBTStore

/// Turns the scheduler's decisions into store updates, inside a commit's transaction.
///
/// Asynchronous: the committing member decides alone. Synchronous: it waits until every
/// unfinished member has reached the same ready step; the last to arrive decides for the
/// whole round, best first.
///
/// Synchronous with time-based readiness: a round is every unfinished member's next ready
/// point, wherever its time ran out. After a round every member is `ready`; each trains one
/// segment and waits; the last to arrive decides for all (its commit sees everyone else
/// `waiting`, whatever their steps). A member that reaches the budget in a segment is done and
/// leaves the round, and when it is the last to arrive it decides for the waiting ones. All of
/// this reads the stored statuses and steps, never a clock.
///
/// In either mode a member that fails for good leaves the round the same way.
public struct Decider: Sendable {
    /// The decisions' scheduler.
    public let scheduler: Scheduler

    /// Creates a decider.
    public init(scheduler: Scheduler) {
        self.scheduler = scheduler
    }

    /// The store updates for a commit of `member`'s ready point (the `decide` of
    /// `PopulationStore.commit`).
    public func updates(committing member: Int, in state: PopulationState) -> [MemberUpdate] {
        let step = state.members[member].step
        let timed = scheduler.schedule.isTimeBased
        if scheduler.schedule.synchronous && step < scheduler.schedule.steps {
            let round = state.members.filter { $0.status == .ready || $0.status == .waiting }
            let stragglers = round.contains {
                $0.slot != member && !($0.status == .waiting && (timed || $0.step == step))
            }
            if stragglers {
                var waiting = unchanged(state.members[member])
                waiting.status = .waiting
                return [waiting]
            }
            return decideRound(round.map(\.slot), state)
        }
        if scheduler.schedule.synchronous && timed {
            // Done at the budget, it leaves the round.
            var done = unchanged(state.members[member])
            done.status = .done
            var current = state
            current.members[member].status = .done
            return [done] + updates(leaving: member, in: current)
        }
        let history = PB2History(scores: state.history, events: state.events)
        let decision = scheduler.decide(
            member: member, population: snapshots(state), history: history.records, pending: history.openSegments)
        return [update(for: member, decision, state)]
    }

    /// The store updates when `member` has left the experiment (done at the budget, or failed
    /// for good: the `decide` of `PopulationStore.recordFailure`): in a synchronous round
    /// whose other members all wait, the member was the last to arrive, so the round is
    /// decided without it. Nothing otherwise.
    public func updates(leaving member: Int, in state: PopulationState) -> [MemberUpdate] {
        guard scheduler.schedule.synchronous else { return [] }
        let round = state.members.filter { $0.slot != member && ($0.status == .ready || $0.status == .waiting) }
        guard !round.isEmpty, round.allSatisfy({ $0.status == .waiting }) else { return [] }
        return decideRound(round.map(\.slot), state)
    }

    /// The round's decisions, best first; later deciders copy donors as the donors' own
    /// decisions left them.
    private func decideRound(_ round: [Int], _ state: PopulationState) -> [MemberUpdate] {
        var current = state
        let history = PB2History(scores: state.history, events: state.events)
        return scheduler.decideRound(round, population: snapshots(state), history: history.records).map {
            let result = update(for: $0.member, $0.decision, current)
            current.members[result.slot].checkpoint = result.checkpoint
            current.members[result.slot].hyperparameters = result.hyperparameters
            return result
        }
    }

    private func snapshots(_ state: PopulationState) -> [MemberSnapshot] {
        state.members.map {
            MemberSnapshot(
                slot: $0.slot, step: $0.step, score: $0.score, recentScores: state.recentScores[$0.slot],
                hyperparameters: $0.hyperparameters, lastExploitStep: state.lastExploitSteps[$0.slot])
        }
    }

    private func unchanged(_ record: MemberRecord) -> MemberUpdate {
        MemberUpdate(
            slot: record.slot, step: record.step, status: .ready, hyperparameters: record.hyperparameters,
            checkpoint: record.checkpoint)
    }

    private func update(for member: Int, _ decision: Decision, _ state: PopulationState) -> MemberUpdate {
        let record = state.members[member]
        var result = unchanged(record)
        switch decision {
        case .continue:
            break
        case .done:
            result.status = .done
        case .exploit(let donor, let donorStep, let hyperparameters, let mutations):
            result.step = donorStep
            result.checkpoint = state.members[donor].checkpoint
            result.hyperparameters = hyperparameters
            result.status = donorStep >= scheduler.schedule.steps ? .done : .ready
            result.event = ExploitEvent(
                sequence: 0, member: member, step: record.step, donor: donor, donorStep: donorStep,
                before: record.hyperparameters, after: hyperparameters, mutations: mutations)
        case .explore(let hyperparameters, let mutations):
            result.hyperparameters = hyperparameters
            result.event = ExploitEvent(
                sequence: 0, member: member, step: record.step, donor: member, donorStep: record.step,
                before: record.hyperparameters, after: hyperparameters, mutations: mutations)
        }
        return result
    }
}
