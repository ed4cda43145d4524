/// Perturb every hyperparameter independently by a factor drawn uniformly from `factors`
/// (see `Domain.perturb` for what a factor does to each kind of domain).
public struct Perturb: ExploreStrategy {
    /// The factors to draw from (paper: 0.8 and 1.2).
    public let factors: [Double]

    /// Creates the strategy.
    /// - Parameter factors: positive, finite, not empty.
    /// - Throws: `PBTError` naming `explore.factors`.
    public init(factors: [Double] = [0.8, 1.2]) throws {
        guard !factors.isEmpty, factors.allSatisfy({ $0.isFinite && $0 > 0 }) else {
            throw PBTError.invalidSetting(
                "explore.factors", "must be a non-empty list of positive numbers, got \(factors)")
        }
        self.factors = factors
    }

    /// Each hyperparameter perturbed by its own drawn factor.
    public func explore(
        _ hyperparameters: Hyperparameters, in space: SearchSpace, using random: inout PBTRandom
    ) -> (Hyperparameters, [Mutation]) {
        var result = hyperparameters
        var mutations: [Mutation] = []
        mutations.reserveCapacity(space.names.count)
        for name in space.names {
            let (value, mutation) = perturb(name, hyperparameters, in: space, using: &random)
            result[name] = value
            mutations.append(mutation)
        }
        return (result, mutations)
    }

    /// One hyperparameter perturbed by one drawn factor.
    func perturb(
        _ name: String, _ hyperparameters: Hyperparameters, in space: SearchSpace,
        using random: inout PBTRandom
    ) -> (HyperparameterValue, Mutation) {
        let domain = space.domains[name]!
        let factor = factors[Int.random(in: 0..<factors.count, using: &random)]
        guard let value = hyperparameters[name] else { return domain.resample(name: name, using: &random) }
        return domain.perturb(value, by: factor, name: name, using: &random)
    }

    /// `perturb(factors: [0.8, 1.2])`.
    public var description: String { "perturb(factors: \(factors))" }
}
