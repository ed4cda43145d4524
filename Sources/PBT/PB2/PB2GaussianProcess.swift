#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A zero-mean GP regression with PB2's kernel on fixed inputs and targets: its Cholesky
/// factor, `α = K⁻¹ y`, log marginal likelihood and posterior.
struct PB2GaussianProcess {
    /// The training inputs.
    let inputs: PB2Inputs
    /// The training targets.
    let targets: [Double]
    /// The kernel parameters.
    let parameters: PB2KernelParameters
    /// The factor of `K = K_f + (noise + jitter) I`.
    let factor: DenseCholesky
    /// `K⁻¹ y`.
    let alpha: [Double]

    /// Conditions the GP on the data; nil when `K` cannot be factorised even with jitter.
    init?(inputs: PB2Inputs, targets: [Double], parameters: PB2KernelParameters) {
        let n = inputs.count
        var matrix = inputs.kernelMatrix(parameters)
        for i in 0..<n { matrix[i * n + i] += parameters.noise }
        guard let factor = DenseCholesky(matrix, n: n) else { return nil }
        self.init(inputs: inputs, targets: targets, parameters: parameters, factor: factor)
    }

    /// Conditions the GP on the data with `K`'s factor already known (for instance the leading
    /// block of a larger factor whose first rows are these inputs).
    init(inputs: PB2Inputs, targets: [Double], parameters: PB2KernelParameters, factor: DenseCholesky) {
        precondition(factor.n == inputs.count && targets.count == inputs.count)
        self.inputs = inputs
        self.targets = targets
        self.parameters = parameters
        self.factor = factor
        self.alpha = factor.solve(targets)
    }

    /// `log p(y) = −½ yᵀα − ½ log det K − (n/2) log 2π`.
    var logMarginalLikelihood: Double {
        var fit = 0.0
        for i in 0..<inputs.count { fit += targets[i] * alpha[i] }
        return -0.5 * fit - 0.5 * factor.logDeterminant - 0.5 * Double(inputs.count) * log(2 * Double.pi)
    }

    /// The gradient of the log marginal likelihood with respect to `(log σ², log ℓ, ε, log noise)`,
    /// and λ with unordered choices: `½ tr((ααᵀ − K⁻¹) ∂K/∂θ)` (see `PB2Likelihood`, which
    /// refactorises).
    /// - Complexity: O(n³/2).
    func logMarginalLikelihoodGradient() -> [Double] {
        PB2Likelihood(inputs: inputs, targets: targets).evaluate(parameters)?.gradient
            ?? Array(repeating: .nan, count: parameters.coordinates.count)
    }

    /// The kernel between a query `(t, z, categories)` and every training row (`categories`:
    /// the query's option indices, with unordered choices only).
    func crossKernel(time: Double, z: [Double], categories: [Int] = []) -> [Double] {
        let m = inputs.dimension
        let halfLogDecay = 0.5 * log1p(-parameters.epsilon)
        return (0..<inputs.count).map { i in
            var sum = 0.0
            for k in 0..<m {
                let difference = z[k] - inputs.z[i * m + k]
                sum += difference * difference
            }
            guard inputs.categoryCount > 0, let mix = parameters.mix else {
                return parameters.variance
                    * exp(-sum / parameters.lengthscale + halfLogDecay * abs(time - inputs.time[i]))
            }
            let decay = exp(halfLogDecay * abs(time - inputs.time[i]))
            let overlap = PB2Inputs.overlap(categories[...], inputs.categories(of: i))
            let similar = exp(-sum / parameters.lengthscale)
            return parameters.variance * decay
                * ((1 - mix) / 2 * (similar + overlap) + mix * similar * overlap)
        }
    }

    /// The posterior mean and latent variance (without noise) at a query `(t, z, categories)`.
    func predict(time: Double, z: [Double], categories: [Int] = []) -> (mean: Double, variance: Double) {
        let cross = crossKernel(time: time, z: z, categories: categories)
        var mean = 0.0
        for i in 0..<inputs.count { mean += cross[i] * alpha[i] }
        let reduced = factor.forward(cross)
        var explained = 0.0
        for value in reduced { explained += value * value }
        return (mean, parameters.variance - explained)
    }
}
