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
    /// `K_f` without noise.
    let kernel: [Double]
    /// The factor of `K = K_f + (noise + jitter) I`.
    let factor: DenseCholesky
    /// `K⁻¹ y`.
    let alpha: [Double]

    /// Conditions the GP on the data; nil when `K` cannot be factorised even with jitter.
    init?(inputs: PB2Inputs, targets: [Double], parameters: PB2KernelParameters) {
        let n = inputs.count
        var matrix = inputs.kernelMatrix(parameters)
        let kernel = matrix
        for i in 0..<n { matrix[i * n + i] += parameters.noise }
        guard let factor = DenseCholesky(matrix, n: n) else { return nil }
        self.inputs = inputs
        self.targets = targets
        self.parameters = parameters
        self.kernel = kernel
        self.factor = factor
        self.alpha = factor.solve(targets)
    }

    /// `log p(y) = −½ yᵀα − ½ log det K − (n/2) log 2π`.
    var logMarginalLikelihood: Double {
        var fit = 0.0
        for i in 0..<inputs.count { fit += targets[i] * alpha[i] }
        return -0.5 * fit - 0.5 * factor.logDeterminant - 0.5 * Double(inputs.count) * log(2 * Double.pi)
    }

    /// The gradient of the log marginal likelihood with respect to `(log σ², log ℓ, ε, log noise)`:
    /// `½ tr((ααᵀ − K⁻¹) ∂K/∂θ)`.
    /// - Complexity: O(n³) for `K⁻¹`, then O(n²).
    func logMarginalLikelihoodGradient() -> [Double] {
        let n = inputs.count
        let inverse = factor.inverse()
        let inverseLength = 1 / parameters.lengthscale
        let decaySlope = -0.5 / (1 - parameters.epsilon)
        var variance = 0.0, length = 0.0, epsilon = 0.0, noise = 0.0
        inverse.withUnsafeBufferPointer { inverse in
            kernel.withUnsafeBufferPointer { k in
                alpha.withUnsafeBufferPointer { a in
                    inputs.squaredDistance.withUnsafeBufferPointer { d in
                        inputs.timeDistance.withUnsafeBufferPointer { t in
                            for i in 0..<n {
                                let diagonal = a[i] * a[i] - inverse[i * n + i]
                                variance += 0.5 * diagonal * k[i * n + i]
                                noise += 0.5 * diagonal
                                for j in 0..<i {
                                    let index = i * n + j
                                    let weighted = (a[i] * a[j] - inverse[index]) * k[index]
                                    variance += weighted
                                    length += weighted * d[index]
                                    epsilon += weighted * t[index]
                                }
                            }
                        }
                    }
                }
            }
        }
        return [variance, length * inverseLength, epsilon * decaySlope, noise * parameters.noise]
    }

    /// The kernel between a query `(t, z)` and every training row.
    func crossKernel(time: Double, z: [Double]) -> [Double] {
        let m = inputs.dimension
        let halfLogDecay = 0.5 * log1p(-parameters.epsilon)
        return (0..<inputs.count).map { i in
            var sum = 0.0
            for k in 0..<m {
                let difference = z[k] - inputs.z[i * m + k]
                sum += difference * difference
            }
            return parameters.variance
                * exp(-sum / parameters.lengthscale + halfLogDecay * abs(time - inputs.time[i]))
        }
    }

    /// The posterior mean and latent variance (without noise) at a query `(t, z)`.
    func predict(time: Double, z: [Double]) -> (mean: Double, variance: Double) {
        let cross = crossKernel(time: time, z: z)
        var mean = 0.0
        for i in 0..<inputs.count { mean += cross[i] * alpha[i] }
        let reduced = factor.forward(cross)
        var explained = 0.0
        for value in reduced { explained += value * value }
        return (mean, parameters.variance - explained)
    }
}
