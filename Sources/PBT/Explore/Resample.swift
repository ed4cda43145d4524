/// Resample each hyperparameter from its prior with probability `probability`, otherwise
/// perturb it.
public struct Resample: ExploreStrategy {
    /// The chance that a hyperparameter is drawn afresh (paper: 0.25).
    public let probability: Double
    /// How the hyperparameters that are not resampled are perturbed.
    public let perturb: Perturb

    /// Creates the strategy.
    /// - Parameters:
    ///   - probability: in [0, 1].
    ///   - factors: the perturbation factors used otherwise.
    /// - Throws: `PBTError` naming `explore.probability` or `explore.factors`.
    public init(probability: Double = 0.25, factors: [Double] = [0.8, 1.2]) throws {
        guard probability >= 0, probability <= 1 else {
            throw PBTError.invalidSetting("explore.probability", "must be in [0, 1], got \(probability)")
        }
        self.probability = probability
        self.perturb = try Perturb(factors: factors)
    }

    /// Each hyperparameter resampled or perturbed.
    public func explore(
        _ hyperparameters: Hyperparameters, in space: SearchSpace, using random: inout PBTRandom
    ) -> (Hyperparameters, [Mutation]) {
        var result = hyperparameters
        var mutations: [Mutation] = []
        mutations.reserveCapacity(space.names.count)
        for name in space.names {
            let (value, mutation) =
                random.unit() < probability
                ? space.domains[name]!.resample(name: name, using: &random)
                : perturb.perturb(name, hyperparameters, in: space, using: &random)
            result[name] = value
            mutations.append(mutation)
        }
        return (result, mutations)
    }

    /// `resample(probability: 0.25, factors: [0.8, 1.2])`.
    public var description: String { "resample(probability: \(probability), factors: \(perturb.factors))" }
}
