/// Whether a higher or a lower score is better.
public enum ScoreMode: String, Hashable, Sendable, Codable {
    /// Higher is better (accuracy, return).
    case max
    /// Lower is better (loss); scores are negated before ranking and shown as reported.
    case min

    /// The worst possible score: recorded when a trainable diverges to NaN, and what a run
    /// without any score counts as.
    public var worstScore: Double { self == .max ? -.infinity : .infinity }

    /// The score oriented so that higher is better.
    @inlinable public func fitness(_ score: Double) -> Double {
        self == .max ? score : -score
    }
}

/// PBT's decision at a ready point, as a pure function of the population and the seed.
///
/// The scheduler never performs side effects: the worker loop records the decision, copies
/// the donor's checkpoint and applies the new hyperparameters.
public struct Scheduler: Sendable {
    /// The tuned hyperparameters.
    public let space: SearchSpace
    /// Who copies whom.
    public let exploit: any ExploitStrategy
    /// How copied hyperparameters change.
    public let explore: any ExploreStrategy
    /// Budget, interval, burn-in and synchrony.
    public let schedule: TrainingSchedule
    /// Whether higher or lower scores are better.
    public let mode: ScoreMode
    /// The experiment seed; every decision's generator derives from it.
    public let seed: UInt64
    /// A recorded schedule to follow instead of deciding (`pbt replay`); nil for PBT.
    public let replay: ReplaySchedule?

    /// Creates a scheduler.
    /// - Parameters:
    ///   - space: the tuned hyperparameters.
    ///   - exploit: who copies whom.
    ///   - explore: how copied hyperparameters change.
    ///   - schedule: budget, interval, burn-in and synchrony.
    ///   - mode: whether higher or lower scores are better.
    ///   - seed: the experiment seed.
    ///   - replay: a recorded schedule to follow instead of exploiting and exploring.
    public init(
        space: SearchSpace, exploit: any ExploitStrategy, explore: any ExploreStrategy,
        schedule: TrainingSchedule, mode: ScoreMode = .max, seed: UInt64, replay: ReplaySchedule? = nil
    ) {
        self.space = space
        self.exploit = exploit
        self.explore = explore
        self.schedule = schedule
        self.mode = mode
        self.seed = seed
        self.replay = replay
    }

    /// The initial hyperparameters of `member`, drawn from the prior with its own generator.
    public func initialHyperparameters(member: Int) -> Hyperparameters {
        var random = PBTRandom(seed: seed, purpose: .initialHyperparameters, member: member)
        return space.sample(using: &random)
    }

    /// The seed handed to `member`'s trainable (a replay's recorded seed, for every member).
    public func trainableSeed(member: Int) -> UInt64 {
        if let replay { return replay.trainableSeed }
        var random = PBTRandom(seed: seed, purpose: .trainable, member: member)
        return random.next()
    }

    /// Decides for the member in slot `member`, which has just recorded a score at its step.
    ///
    /// - Parameters:
    ///   - member: the slot of the deciding member.
    ///   - population: every member indexed by slot, with scores as reported (the scheduler
    ///     orients them by `mode`).
    ///   - history: the population's latest records with scores as reported, for an explore
    ///     strategy that learns from them (`explore.historyRows` of them; see `ExplorePoint`).
    ///   - pending: the starts of segments other members have not trained yet (a record at
    ///     the step they continue from, with their new hyperparameters; its score is not
    ///     read): those at the step this member continues from are its `ExplorePoint.pending`.
    /// - Returns: `.done` at the budget, `.continue` before `burnIn`, when the exploit
    ///   strategy keeps the member or when progress forbids the copy (below), otherwise
    ///   `.exploit` (or `.explore` when exploit is `none` and explore is not); with a replay
    ///   schedule, the recorded change at this step.
    ///
    /// **Progress.** A copy sends the member to its donor's step, which may be earlier than its
    /// own: where training makes scores worse (diverging), a member could copy a lagging donor,
    /// train back to the same step, score worse again and copy again, forever. Two rules
    /// forbid this while keeping the paper's exploit — any better member may be copied:
    /// 1. a member copies only at a step beyond the step where it last copied, and
    /// 2. a donor may lag the member by at most one `interval`.
    ///
    /// Every step a member reaches is a ready step (a multiple of `interval`) or the budget, so
    /// by rule 1 a member copies at most K − 1 times, K = ⌈steps / interval⌉, and by rule 2 each
    /// copy repeats at most one interval: a member has at most 2K − 1 ready points, and an
    /// experiment at most population × (2K − 1). Neither rule changes a run in which no member
    /// goes back: synchronous rounds, the paper's toy, any donor at the member's step or ahead.
    ///
    /// With time-based readiness (`TrainingSchedule.seconds`) segments end wherever the clock
    /// says and `interval` is the budget, so rule 2 does not bound a copy's lag; rule 1 still
    /// does: copies happen at strictly increasing steps below the budget (at most `steps` − 1
    /// of them), and every segment trains at least one step, so between two copies a member has
    /// at most `steps` ready points and the experiment still ends.
    public func decide(
        member: Int, population: [MemberSnapshot], history: [PB2Record] = [], pending: [PB2Record] = []
    ) -> Decision {
        let step = population[member].step
        if step >= schedule.steps { return .done }
        if let replay { return replay.decision(at: step, current: population[member].hyperparameters) }
        if step < schedule.burnIn { return .continue }
        // Keyed by the score too: a member back at a step after copying an earlier donor has
        // (almost surely) another score there, so it draws afresh. The score, unlike a store's
        // checkpoint id, does not depend on other experiments sharing the store.
        var random = PBTRandom(
            seed: seed, purpose: .decision, member: member, step: step,
            visit: population[member].score.map(\.bitPattern) ?? 0)
        let oriented = mode == .max ? population : population.map(oriented)
        if !exploit.copiesDonors {
            guard explore.changesValues else { return .continue }
            let (hyperparameters, mutations) = explored(
                member, from: oriented[member], history, pending, using: &random)
            return .explore(hyperparameters: hyperparameters, mutations: mutations)
        }
        if let last = population[member].lastExploitStep, step <= last { return .continue }
        guard let donor = exploit.donor(for: member, in: oriented, using: &random),
            population[donor].step >= step - schedule.interval
        else { return .continue }
        let (hyperparameters, mutations) = explored(
            member, from: oriented[donor], history, pending, using: &random)
        return .exploit(
            donor: donor, donorStep: population[donor].step, hyperparameters: hyperparameters,
            mutations: mutations)
    }

    /// The order in which a synchronous round decides (``PopulationStateMachine``): best score
    /// first, so every donor has decided before anyone copies it; ties in an order drawn from
    /// the round's generator; an unscored member last in either mode.
    ///
    /// - Parameters:
    ///   - round: the slots deciding.
    ///   - population: every member indexed by slot, scores as reported.
    public func roundOrder(_ round: [Int], population: [MemberSnapshot]) -> [Int] {
        var random = PBTRandom(seed: seed, purpose: .round, step: round.first.map { population[$0].step } ?? 0)
        let fitness: (Int) -> Double = { slot in population[slot].score.map(mode.fitness) ?? -.infinity }
        return round.map { (slot: $0, fitness: fitness($0), tie: random.next()) }
            .sorted { $0.fitness != $1.fitness ? $0.fitness > $1.fitness : $0.tie < $1.tie }
            .map(\.slot)
    }

    /// The number of recent scores per member the decisions read.
    public var scoreWindow: Int { exploit.scoreWindow }

    /// `explore` from `start` (the member itself, or its donor; oriented), for `member`, which
    /// continues from `start`'s step: strategies that learn from history see it oriented, and
    /// the pending segments of other members at that step.
    private func explored(
        _ member: Int, from start: MemberSnapshot, _ history: [PB2Record], _ pending: [PB2Record],
        using random: inout PBTRandom
    ) -> (Hyperparameters, [Mutation]) {
        guard explore.historyRows > 0, let score = start.score else {
            return explore.explore(start.hyperparameters, in: space, using: &random)
        }
        let point = ExplorePoint(
            step: start.step, score: score, history: mode == .max ? history : history.map(orientedRecord),
            pending: pending.filter { $0.step == start.step && $0.member != member }.map(\.hyperparameters))
        return explore.explore(start.hyperparameters, in: space, from: point, using: &random)
    }

    private func orientedRecord(_ record: PB2Record) -> PB2Record {
        var copy = record
        copy.score = mode.fitness(copy.score)
        return copy
    }

    private func oriented(_ snapshot: MemberSnapshot) -> MemberSnapshot {
        var copy = snapshot
        copy.score = copy.score.map(mode.fitness)
        copy.recentScores = copy.recentScores.map(mode.fitness)
        return copy
    }
}
