/// What the scheduler knows about one member when a decision is made.
public struct MemberSnapshot: Hashable, Sendable {
    /// The member's slot, 0..<population.
    public var slot: Int
    /// The member's training step.
    public var step: Int
    /// The latest recorded score, oriented so that higher is better; nil before the first.
    public var score: Double?
    /// The most recent scores, oldest first, oriented so that higher is better (for `ttest`).
    public var recentScores: [Double]
    /// The hyperparameters in force.
    public var hyperparameters: Hyperparameters
    /// Where the member is in its life.
    public var status: MemberStatus
    /// The step at which the member last copied a donor, nil if it never did: it copies again
    /// only past that step (see `Scheduler.decide`).
    public var lastExploitStep: Int?

    /// Creates a snapshot.
    public init(
        slot: Int, step: Int, score: Double?, recentScores: [Double] = [],
        hyperparameters: Hyperparameters, status: MemberStatus = .ready, lastExploitStep: Int? = nil
    ) {
        self.slot = slot
        self.step = step
        self.score = score
        self.recentScores = recentScores
        self.hyperparameters = hyperparameters
        self.status = status
        self.lastExploitStep = lastExploitStep
    }
}
