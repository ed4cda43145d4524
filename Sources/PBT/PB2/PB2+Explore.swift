/// PB2 as an explore strategy (`explore: {strategy: pb2}`): the member's next hyperparameters
/// are PB2's suggestion from the population's records, not a perturbation of the donor's.
extension PB2: ExploreStrategy {
    /// Twice `maximumRows` score records: besides the rows, each member's first record and
    /// the start of every segment take one.
    public var historyRows: Int { 2 * maximumRows }

    /// Without a point to explore from there is nothing to learn from: a draw from the prior.
    public func explore(
        _ hyperparameters: Hyperparameters, in space: SearchSpace, using random: inout PBTRandom
    ) -> (Hyperparameters, [Mutation]) {
        drawn(using: &random)
    }

    /// PB2's suggestion for a member continuing from `point`, every hyperparameter recorded as
    /// `suggested` with the suggestion's explanation; with too little data to fit (fewer than
    /// two observations), or records outside the space (an experiment whose space changed), a
    /// draw from the prior recorded as `resampled`.
    public func explore(
        _ hyperparameters: Hyperparameters, in space: SearchSpace, from point: ExplorePoint,
        using random: inout PBTRandom
    ) -> (Hyperparameters, [Mutation]) {
        guard
            let suggestion = try? suggest(
                history: point.history, step: point.step, score: point.score, pending: point.pending,
                around: hyperparameters, using: &random),
            let explanation = suggestion.explanation
        else { return drawn(using: &random) }
        return (suggestion.hyperparameters, mutations { .suggested(explanation) })
    }

    private func drawn(using random: inout PBTRandom) -> (Hyperparameters, [Mutation]) {
        (space.sample(using: &random), mutations { .resampled })
    }

    /// One mutation per hyperparameter: `operation` for the tunable ones, `unchanged` for the rest.
    private func mutations(_ operation: () -> Mutation.Operation) -> [Mutation] {
        let tunable = Set(encoding.tunableNames)
        return space.names.map { Mutation($0, tunable.contains($0) ? operation() : .unchanged, clamped: false) }
    }
}
