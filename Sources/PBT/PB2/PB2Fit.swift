#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Fits PB2's kernel parameters by maximising the log marginal likelihood with its analytic
/// gradient, by `BoundedLBFGS` from several starts, over the coordinates
/// `(log σ², log ℓ, ε, log noise)` in `[10⁻², 10²] × [10⁻², 10²] × [0, 0.5] × [10⁻⁴, 2]`,
/// and with unordered choices (PB2-Mix) the mix λ in [0, 1] as a fifth.
///
/// The first start is Ray Tune's (σ² = 1, ℓ = 1, ε = 0.1) with GPy's default noise 1, and
/// λ = 0.5 (the PB2-Mix code's start); the others are drawn uniformly over the box from the
/// decision's generator. Ray Tune runs one
/// start; the extra starts guard against a poor local optimum. With more than
/// `screeningRows` rows the starts are screened on the first `screeningRows` rows (the newest,
/// as PB2 orders them) and only the best is run on all rows: the likelihood landscape of a
/// subsample points to the same basin at 1/60 of the cost.
enum PB2Fit {
    /// The box of the fitted coordinates.
    static let lower = [log(1e-2), log(1e-2), 0, log(1e-4)]
    /// The box of the fitted coordinates.
    static let upper = [log(1e2), log(1e2), 0.5, log(2.0)]
    /// Ray Tune's starting point.
    static let initial = PB2KernelParameters(variance: 1, lengthscale: 1, epsilon: 0.1, noise: 1)
    /// The rows the starts are compared on when there are more.
    static let screeningRows = 50
    /// The start of the mix λ (PB2-Mix).
    static let initialMix = 0.5

    /// The box and the first start for inputs with or without unordered choices.
    private static func box(mixed: Bool) -> (lower: [Double], upper: [Double], initial: [Double]) {
        mixed
            ? (lower + [0], upper + [1], initial.coordinates + [initialMix]) : (lower, upper, initial.coordinates)
    }

    /// The best GP over `starts` starts; nil when no start gives a factorisable kernel.
    /// - Complexity: O(n³/2) per likelihood evaluation.
    static func fit(
        inputs: PB2Inputs, targets: [Double], starts: Int, using random: inout PBTRandom
    ) -> PB2GaussianProcess? {
        parameters(inputs: inputs, targets: targets, starts: starts, using: &random).flatMap {
            PB2GaussianProcess(inputs: inputs, targets: targets, parameters: $0)
        }
    }

    /// The best kernel parameters over `starts` starts, without conditioning a GP on them (for a
    /// caller that factorises a larger kernel with them anyway); nil when no start gives a
    /// factorisable kernel.
    /// - Complexity: O(n³/2) per likelihood evaluation.
    static func parameters(
        inputs: PB2Inputs, targets: [Double], starts: Int, using random: inout PBTRandom
    ) -> PB2KernelParameters? {
        let (lower, upper, initial) = box(mixed: inputs.categoryCount > 0)
        let origins = (0..<max(1, starts)).map { start in
            start == 0
                ? initial : (0..<lower.count).map { lower[$0] + (upper[$0] - lower[$0]) * random.unit() }
        }
        let n = inputs.count
        var candidates = origins
        if n > screeningRows && origins.count > 1 {
            let screen = PB2Likelihood(inputs: inputs.prefix(screeningRows), targets: Array(targets[0..<screeningRows]))
            candidates = best(of: origins, screen, lower: lower, upper: upper).map { [$0.x] } ?? origins
        }
        let likelihood = PB2Likelihood(inputs: inputs, targets: targets)
        return best(of: candidates, likelihood, lower: lower, upper: upper).map {
            PB2KernelParameters(coordinates: $0.x)
        }
    }

    /// The best optimum of the likelihood from the origins, within the box.
    private static func best(
        of origins: [[Double]], _ likelihood: PB2Likelihood, lower: [Double], upper: [Double]
    ) -> (x: [Double], value: Double)? {
        let optimiser = BoundedLBFGS(
            lower: lower, upper: upper, maximumIterations: 100, gradientTolerance: 1e-6,
            relativeReduction: 1e-10)
        var best: (x: [Double], value: Double)?
        for origin in origins {
            let result = optimiser.minimize(
                from: origin,
                value: { likelihood.value(PB2KernelParameters(coordinates: $0)).map { -$0 } },
                gradient: { likelihood.gradient(PB2KernelParameters(coordinates: $0)).map { -$0 } })
            if result.value.isFinite, result.value < best?.value ?? .infinity { best = (result.x, result.value) }
        }
        return best
    }
}
