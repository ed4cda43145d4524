import PBT

/// A score recorded at a ready point.
public struct ScoreRecord: Hashable, Sendable, Codable {
    /// The member.
    public var member: Int
    /// The member's step when evaluated.
    public var step: Int
    /// The score as reported by the trainable.
    public var score: Double
    /// The hyperparameters in force while training up to `step`.
    public var hyperparameters: Hyperparameters

    /// Creates a record.
    public init(member: Int, step: Int, score: Double, hyperparameters: Hyperparameters) {
        self.member = member
        self.step = step
        self.score = score
        self.hyperparameters = hyperparameters
    }
}
