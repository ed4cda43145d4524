import PBT
import PBTStore

/// Turns a commit or a departure into store updates, inside the store's transaction: the
/// stored population goes into the core's `PopulationStateMachine`, whose action comes back as
/// `MemberUpdate`s (a copier resumes from its donor's stored checkpoint).
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
        updates(.readyPoint(member: member), in: state)
    }

    /// The store updates when `member` has left the experiment (done at the budget, or failed
    /// for good: the `decide` of `PopulationStore.recordFailure`): in a synchronous round
    /// whose other members all wait, the member was the last to arrive, so the round is
    /// decided without it. Nothing otherwise.
    public func updates(leaving member: Int, in state: PopulationState) -> [MemberUpdate] {
        updates(.left(member: member), in: state)
    }

    private func updates(_ event: PopulationStateMachine.Event, in state: PopulationState) -> [MemberUpdate] {
        let history = PB2History(scores: state.history, events: state.events)
        let members = state.members.map {
            MemberSnapshot(
                slot: $0.slot, step: $0.step, score: $0.score, recentScores: state.recentScores[$0.slot],
                hyperparameters: $0.hyperparameters, status: $0.status,
                lastExploitStep: state.lastExploitSteps[$0.slot])
        }
        var machine = PopulationStateMachine(
            scheduler: scheduler, members: members, history: history.records, pending: history.openSegments)
        switch machine.receive(event) {
        case .none:
            return []
        case .wait(let member):
            let record = state.members[member]
            return [
                MemberUpdate(
                    slot: member, step: record.step, status: .waiting, hyperparameters: record.hyperparameters,
                    checkpoint: record.checkpoint)
            ]
        case .update(let changes):
            return changes.map {
                MemberUpdate(
                    slot: $0.slot, step: $0.step, status: $0.status, hyperparameters: $0.hyperparameters,
                    checkpoint: state.members[$0.weightsOf].checkpoint, score: $0.score, event: $0.event)
            }
        }
    }
}
