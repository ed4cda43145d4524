extension Domain {
    /// Perturbs `value` by `factor`, as PBT's explore step does, and says what it did.
    ///
    /// - Continuous (uniform, loguniform): multiply by `factor`, then clamp to the bounds.
    /// - Integer: multiply, round, and move by at least 1 in the factor's direction where a move
    ///   is possible; then clamp.
    /// - Ordered choice: move the index by +1 when `factor > 1`, by -1 when `factor < 1`,
    ///   clamped to the ends.
    /// - Unordered choice: resample from the prior.
    /// - Constant: unchanged.
    ///
    /// - Parameters:
    ///   - value: the current value (the donor's).
    ///   - factor: the perturbation factor drawn by the explore strategy.
    ///   - name: the hyperparameter's name, recorded in the mutation.
    ///   - random: the generator for resampling unordered choices.
    public func perturb(
        _ value: HyperparameterValue, by factor: Double, name: String, using random: inout PBTRandom
    ) -> (HyperparameterValue, Mutation) {
        switch self {
        case .uniform(let lower, let upper), .logUniform(let lower, let upper):
            let scaled = (value.number ?? lower) * factor
            let clamped = min(upper, max(lower, scaled))
            return (.number(clamped), Mutation(name, .scaled(by: factor), clamped: clamped != scaled))
        case .integer(let lower, let upper):
            let current = value.number ?? Double(lower)
            var moved = (current * factor).rounded()
            if moved == current, factor != 1 { moved += factor > 1 ? 1 : -1 }
            let clamped = min(Double(upper), max(Double(lower), moved))
            return (.number(clamped), Mutation(name, .scaled(by: factor), clamped: clamped != moved))
        case .choice(let options, ordered: true):
            let index = options.firstIndex(of: value) ?? 0
            let shift = factor > 1 ? 1 : (factor < 1 ? -1 : 0)
            let target = index + shift
            let clamped = min(options.count - 1, max(0, target))
            return (options[clamped], Mutation(name, .shifted(by: shift), clamped: clamped != target))
        case .choice(_, ordered: false):
            return resample(name: name, using: &random)
        case .constant(let fixed):
            return (fixed, Mutation(name, .unchanged, clamped: false))
        }
    }

    /// Draws a fresh value from the prior, recorded as a resample (constants stay unchanged).
    public func resample(name: String, using random: inout PBTRandom) -> (HyperparameterValue, Mutation) {
        if case .constant(let fixed) = self {
            return (fixed, Mutation(name, .unchanged, clamped: false))
        }
        return (sample(using: &random), Mutation(name, .resampled, clamped: false))
    }
}
