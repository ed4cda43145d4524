/// What a member's ready point, or its leaving, does to the population: the synchronous
/// round's barrier and each decision's effect on the members, as a pure state machine.
///
/// A store builds one inside the transaction that recorded the event — the members as stored,
/// the ready point's step and score included — hands it the event, and applies the action it
/// returns. Nothing here reads a clock, a store or a global random source.
///
/// Asynchronous: the committing member decides alone. Synchronous: it waits until every
/// unfinished member (`ready` or `waiting`) has reached the same ready step; the last to arrive
/// decides for the whole round, best first (``Scheduler/roundOrder(_:population:)``).
///
/// Synchronous with time-based readiness: a round is every unfinished member's next ready
/// point, wherever its time ran out. After a round every member is `ready`; each trains one
/// segment and waits; the last to arrive decides for all (it finds everyone else `waiting`,
/// whatever their steps). A member that reaches the budget in a segment is done and leaves the
/// round, and when it is the last to arrive it decides for the waiting ones. All of this reads
/// the members' statuses and steps, never a clock.
///
/// In either mode a member that leaves (done, or failed for good) releases a round whose
/// others all wait.
public struct PopulationStateMachine: Sendable {
    /// What happened to a member.
    public enum Event: Hashable, Sendable {
        /// The member's ready point was recorded: its step and score are in ``members``.
        case readyPoint(member: Int)
        /// The member left the experiment (done at the budget, or failed for good); its own
        /// status is not read.
        case left(member: Int)
    }

    /// What the store must do.
    public enum Action: Hashable, Sendable {
        /// Nothing.
        case none
        /// The member waits for the rest of its synchronous round; nothing else changes.
        case wait(member: Int)
        /// Apply these changes, in this order (one decision, or a round's, best member first).
        case update([MemberChange])
    }

    /// The decisions' scheduler.
    public let scheduler: Scheduler
    /// Every member indexed by slot, as the events so far left them; scores stay those of the
    /// ready points (a member that copies in a round is still ranked by its own score), except
    /// that a copy ending a member at the budget gives it the donor's score.
    public private(set) var members: [MemberSnapshot]
    /// For each slot, the slot whose stored weights it resumes from: its own, or after a copy
    /// its donor's (a donor that copied earlier passes on what it took).
    public private(set) var weights: [Int]

    private let history: [PB2Record]
    private let pending: [PB2Record]

    /// Creates a machine over the population as stored.
    /// - Parameters:
    ///   - scheduler: the decisions' scheduler.
    ///   - members: every member indexed by slot, scores as reported.
    ///   - history: the population's latest records (see ``Scheduler/decide(member:population:history:pending:)``).
    ///   - pending: the starts of segments not trained yet, for an asynchronous decision; a
    ///     synchronous round counts instead the configurations its earlier deciders took.
    public init(
        scheduler: Scheduler, members: [MemberSnapshot], history: [PB2Record] = [], pending: [PB2Record] = []
    ) {
        self.scheduler = scheduler
        self.members = members
        self.weights = members.map(\.slot)
        self.history = history
        self.pending = pending
    }

    /// Takes `event` in, updates ``members`` and ``weights``, and says what the store must do.
    public mutating func receive(_ event: Event) -> Action {
        switch event {
        case .readyPoint(let member):
            return readyPoint(member)
        case .left(let member):
            return left(member)
        }
    }

    private mutating func readyPoint(_ member: Int) -> Action {
        let schedule = scheduler.schedule
        let step = members[member].step
        if schedule.synchronous && step < schedule.steps {
            let round = unfinished(except: nil)
            let stragglers = round.contains {
                $0 != member && !(members[$0].status == .waiting && (schedule.isTimeBased || members[$0].step == step))
            }
            if stragglers {
                members[member].status = .waiting
                return .wait(member: member)
            }
            return .update(decideRound(round))
        }
        if schedule.synchronous && schedule.isTimeBased {
            // Done at the budget, it leaves the round.
            let done = apply(.done, to: member)
            guard case .update(let round) = left(member) else { return .update([done]) }
            return .update([done] + round)
        }
        let decision = scheduler.decide(member: member, population: members, history: history, pending: pending)
        return .update([apply(decision, to: member)])
    }

    private mutating func left(_ member: Int) -> Action {
        guard scheduler.schedule.synchronous else { return .none }
        let round = unfinished(except: member)
        guard !round.isEmpty, round.allSatisfy({ members[$0].status == .waiting }) else { return .none }
        return .update(decideRound(round))
    }

    /// The slots `ready` or `waiting`, but `excluded`.
    private func unfinished(except excluded: Int?) -> [Int] {
        members.indices.filter { $0 != excluded && (members[$0].status == .ready || members[$0].status == .waiting) }
    }

    /// The round's decisions, best first: later deciders see earlier decisions' steps,
    /// hyperparameters and weights, and count the configurations taken as pending.
    private mutating func decideRound(_ round: [Int]) -> [MemberChange] {
        var taken: [PB2Record] = []
        return scheduler.roundOrder(round, population: members).map { slot in
            let decision = scheduler.decide(member: slot, population: members, history: history, pending: taken)
            let change = apply(decision, to: slot)
            if change.event != nil {
                taken.append(
                    PB2Record(member: slot, step: change.step, score: 0, hyperparameters: change.hyperparameters))
            }
            return change
        }
    }

    /// Applies `decision` to `member` and returns the change.
    private mutating func apply(_ decision: Decision, to member: Int) -> MemberChange {
        let before = members[member]
        var status = MemberStatus.ready
        var event: ExploitEvent?
        var score: Double?
        switch decision {
        case .continue:
            break
        case .done:
            status = .done
        case .exploit(let donor, let donorStep, let hyperparameters, let mutations):
            members[member].step = donorStep
            members[member].hyperparameters = hyperparameters
            weights[member] = weights[donor]
            status = donorStep >= scheduler.schedule.steps ? .done : .ready
            if status == .done {
                // It trains no further: its score is its weights', the donor's.
                members[member].score = members[donor].score
                score = members[donor].score
            }
            event = ExploitEvent(
                sequence: 0, member: member, step: before.step, donor: donor, donorStep: donorStep,
                before: before.hyperparameters, after: hyperparameters, mutations: mutations)
        case .explore(let hyperparameters, let mutations):
            members[member].hyperparameters = hyperparameters
            event = ExploitEvent(
                sequence: 0, member: member, step: before.step, donor: member, donorStep: before.step,
                before: before.hyperparameters, after: hyperparameters, mutations: mutations)
        }
        members[member].status = status
        return MemberChange(
            slot: member, step: members[member].step, status: status, hyperparameters: members[member].hyperparameters,
            weightsOf: weights[member], score: score, event: event)
    }
}

/// A change to one member that a decision makes.
public struct MemberChange: Hashable, Sendable {
    /// The member.
    public var slot: Int
    /// Its new step (a donor's step after a copy).
    public var step: Int
    /// Its new status.
    public var status: MemberStatus
    /// Its new hyperparameters.
    public var hyperparameters: Hyperparameters
    /// The slot whose stored weights it resumes from: its own, or after a copy its donor's.
    public var weightsOf: Int
    /// The score it takes: the donor's when a copy ends it at the budget (it holds the donor's
    /// weights and trains no further, so its own earlier score no longer describes it); nil
    /// keeps its own.
    public var score: Double?
    /// The event to record, when the weights or hyperparameters changed (`sequence` 0: the
    /// store numbers it).
    public var event: ExploitEvent?

    /// Creates a change.
    public init(
        slot: Int, step: Int, status: MemberStatus, hyperparameters: Hyperparameters, weightsOf: Int,
        score: Double? = nil, event: ExploitEvent? = nil
    ) {
        self.slot = slot
        self.step = step
        self.status = status
        self.hyperparameters = hyperparameters
        self.weightsOf = weightsOf
        self.score = score
        self.event = event
    }
}
