import PBT

extension ComparisonArm {
    /// The configuration of this arm's run of `base` on `seed`, named `BASE.ARM.seedS`.
    ///
    /// Every arm keeps the population, budget, interval, workload and domains, so runs differ
    /// only in how hyperparameters are chosen; the trainable seeds follow from `seed` as usual.
    /// - Parameters:
    ///   - base: the compared experiment.
    ///   - seed: the run's experiment seed.
    ///   - fixed: the best fixed configuration (needed by `fixed` only).
    /// - Throws: `ComparisonError.missingPrerequisite` for `fixed` without one.
    public func configuration(
        of base: ExperimentConfig, seed: UInt64, fixed: FixedConfiguration? = nil
    ) throws
        -> ExperimentConfig
    {
        var variant = base
        variant.name = ComparisonRunName(base: base.name, arm: self, seed: seed).description
        variant.seed = seed
        switch self {
        case .pbt:
            break
        case .pb2:
            variant.explore = .pb2(PB2Settings())
        case .random:
            variant.exploit = .none
            variant.explore = .none
        case .fixed:
            guard let fixed else {
                throw ComparisonError(
                    .missingPrerequisite,
                    "the fixed arm of '\(base.name)' needs the random-search runs' best member first")
            }
            variant.exploit = .none
            variant.explore = .none
            variant.initial = Array(repeating: fixed.hyperparameters, count: base.population)
        }
        return variant
    }
}
