/// One recorded score of one member: what PB2 learns from.
///
/// Give a member's records in the order they were recorded. Two consecutive records of the
/// same member with equal hyperparameters are one observation of training under those
/// hyperparameters: its rate is Δscore / Δstep. So after an exploit, record the start of the
/// new segment — the member's new step and score (the donor's) with its new hyperparameters —
/// as Ray Tune does; the next ready point then measures the new configuration from there.
public struct PB2Record: Hashable, Sendable {
    /// The member's slot.
    public var member: Int
    /// The member's step at the record.
    public var step: Int
    /// The score, oriented so that higher is better (`ScoreMode.fitness`).
    public var score: Double
    /// The hyperparameters the member trains with around this record.
    public var hyperparameters: Hyperparameters

    /// Creates a record.
    public init(member: Int, step: Int, score: Double, hyperparameters: Hyperparameters) {
        self.member = member
        self.step = step
        self.score = score
        self.hyperparameters = hyperparameters
    }
}
