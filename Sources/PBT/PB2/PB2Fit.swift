/// Fits PB2's kernel parameters by maximising the log marginal likelihood with its analytic
/// gradient, by `BoundedLBFGS` from several starts, over the coordinates
/// `(log σ², log ℓ, ε, log noise)` in `[10⁻², 10²] × [10⁻², 10²] × [0, 0.5] × [10⁻⁴, 2]`.
///
/// The first start is Ray Tune's (σ² = 1, ℓ = 1, ε = 0.1) with GPy's default noise 1; the
/// others are drawn uniformly over the box from the decision's generator.
enum PB2Fit {
    /// The box of the fitted coordinates.
    static let lower = [log(1e-2), log(1e-2), 0, log(1e-4)]
    /// The box of the fitted coordinates.
    static let upper = [log(1e2), log(1e2), 0.5, log(2.0)]
    /// Ray Tune's starting point.
    static let initial = PB2KernelParameters(variance: 1, lengthscale: 1, epsilon: 0.1, noise: 1)

    /// The best GP over `starts` starts; nil when no start gives a factorisable kernel.
    static func fit(
        inputs: PB2Inputs, targets: [Double], starts: Int, using random: inout PBTRandom
    ) -> PB2GaussianProcess? {
        let optimiser = BoundedLBFGS(lower: lower, upper: upper, maximumIterations: 100, gradientTolerance: 1e-6,
            relativeReduction: 1e-10)
        var best: PB2GaussianProcess?
        for start in 0..<max(1, starts) {
            let origin = start == 0
                ? initial.coordinates : (0..<4).map { lower[$0] + (upper[$0] - lower[$0]) * random.unit() }
            let result = optimiser.minimize(from: origin) { coordinates in
                guard let process = PB2GaussianProcess(
                    inputs: inputs, targets: targets, parameters: PB2KernelParameters(coordinates: coordinates))
                else { return nil }
                return (-process.logMarginalLikelihood, process.logMarginalLikelihoodGradient().map { -$0 })
            }
            guard result.value.isFinite, result.value < -(best?.logMarginalLikelihood ?? -.infinity),
                let process = PB2GaussianProcess(
                    inputs: inputs, targets: targets, parameters: PB2KernelParameters(coordinates: result.x))
            else { continue }
            best = process
        }
        return best
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
