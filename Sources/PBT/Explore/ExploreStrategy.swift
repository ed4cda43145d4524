/// Derives new hyperparameters from a donor's, and records what it did to each.
///
/// Implementations are pure: the same input and generator give the same answer. They visit
/// hyperparameters in `space.names` order so the draws are reproducible.
///
/// A strategy that learns from the population's past (PB2) implements
/// `explore(_:in:from:using:)` and says how much history it reads (`historyRows`); the others
/// implement `explore(_:in:using:)` alone.
public protocol ExploreStrategy: Sendable, CustomStringConvertible {
    /// Returns the explored hyperparameters and one mutation per hyperparameter.
    /// - Parameters:
    ///   - hyperparameters: the values to start from (the donor's).
    ///   - space: the domains, which bound every result.
    ///   - random: the decision's generator.
    func explore(
        _ hyperparameters: Hyperparameters, in space: SearchSpace, using random: inout PBTRandom
    ) -> (Hyperparameters, [Mutation])

    /// Returns the explored hyperparameters and one mutation per hyperparameter, knowing where
    /// the member continues from and what the population recorded before.
    func explore(
        _ hyperparameters: Hyperparameters, in space: SearchSpace, from point: ExplorePoint,
        using random: inout PBTRandom
    ) -> (Hyperparameters, [Mutation])

    /// How many of the population's latest score records a decision should see in
    /// `ExplorePoint.history` (0: none, and stores read none).
    var historyRows: Int { get }

    /// Whether the strategy may change values at all: false for `none`, which keeps the
    /// donor's.
    var changesValues: Bool { get }
}

extension ExploreStrategy {
    /// Explores as `explore(_:in:using:)` does: the point does not matter.
    public func explore(
        _ hyperparameters: Hyperparameters, in space: SearchSpace, from point: ExplorePoint,
        using random: inout PBTRandom
    ) -> (Hyperparameters, [Mutation]) {
        explore(hyperparameters, in: space, using: &random)
    }

    /// None.
    public var historyRows: Int { 0 }

    /// Strategies change values unless they say otherwise.
    public var changesValues: Bool { true }
}

/// Where a member explores from, for strategies that learn from the population's past.
public struct ExplorePoint: Hashable, Sendable {
    /// The step the member trains on from (its donor's after an exploit).
    public var step: Int
    /// The score at that step, oriented so that higher is better.
    public var score: Double
    /// The population's latest records, each member's in the order recorded, with scores
    /// oriented so that higher is better; after each change of hyperparameters, the start of
    /// the new segment (see `PB2Record`).
    public var history: [PB2Record]
    /// Configurations other members took at `step` and have not trained with yet.
    public var pending: [Hyperparameters]

    /// Creates a point.
    public init(step: Int, score: Double, history: [PB2Record] = [], pending: [Hyperparameters] = []) {
        self.step = step
        self.score = score
        self.history = history
        self.pending = pending
    }
}

/// Keep the donor's hyperparameters unchanged (the paper's exploit-only ablation).
public struct NoExplore: ExploreStrategy {
    /// Creates the strategy.
    public init() {}

    /// The input, with an `unchanged` mutation per hyperparameter.
    public func explore(
        _ hyperparameters: Hyperparameters, in space: SearchSpace, using random: inout PBTRandom
    ) -> (Hyperparameters, [Mutation]) {
        (hyperparameters, space.names.map { Mutation($0, .unchanged, clamped: false) })
    }

    /// False: the donor's values are kept.
    public var changesValues: Bool { false }

    /// `none`.
    public var description: String { "none" }
}
