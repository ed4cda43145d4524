/// Derives new hyperparameters from a donor's, and records what it did to each.
///
/// Implementations are pure: the same input and generator give the same answer. They visit
/// hyperparameters in `space.names` order so the draws are reproducible.
public protocol ExploreStrategy: Sendable, CustomStringConvertible {
    /// Returns the explored hyperparameters and one mutation per hyperparameter.
    /// - Parameters:
    ///   - hyperparameters: the values to start from (the donor's).
    ///   - space: the domains, which bound every result.
    ///   - random: the decision's generator.
    func explore(
        _ hyperparameters: Hyperparameters, in space: SearchSpace, using random: inout PBTRandom
    ) -> (Hyperparameters, [Mutation])
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

    /// `none`.
    public var description: String { "none" }
}
