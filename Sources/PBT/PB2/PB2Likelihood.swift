#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The log marginal likelihood of PB2's GP on fixed inputs and targets as a function of the
/// fitted coordinates `(log σ², log ℓ, ε, log noise)`, with its gradient: what `PB2Fit`
/// maximises. The pairwise distances are computed once, so an evaluation costs the
/// exponentials, one factorisation and one inverse.
struct PB2Likelihood {
    /// The number of rows.
    let count: Int
    /// The targets.
    let targets: [Double]
    private let squared: [Double]
    private let temporal: [Double]

    /// Prepares the likelihood of `targets` at `inputs`.
    init(inputs: PB2Inputs, targets: [Double]) {
        count = inputs.count
        self.targets = targets
        (squared, temporal) = inputs.distances()
    }

    /// `log p(y)` and its gradient `½ tr((ααᵀ − K⁻¹) ∂K/∂θ)` with respect to the coordinates;
    /// nil when `K` cannot be factorised even with jitter.
    /// - Complexity: O(n³/2) multiply-adds (factorisation, then `K⁻¹` from the factor) and
    ///   n²/2 exponentials.
    func evaluate(_ parameters: PB2KernelParameters) -> (value: Double, gradient: [Double])? {
        let n = count
        let inverseLength = 1 / parameters.lengthscale
        let halfLogDecay = 0.5 * log1p(-parameters.epsilon)
        var kernel = [Double](repeating: 0, count: n * n)
        squared.withUnsafeBufferPointer { d in
            temporal.withUnsafeBufferPointer { t in
                kernel.withUnsafeMutableBufferPointer { k in
                    let k = k.baseAddress!
                    for i in 0..<n {
                        for j in 0..<i { k[i * n + j] = -d[i * n + j] * inverseLength + halfLogDecay * t[i * n + j] }
                        exponentiate(k + i * n, count: i)
                        for j in 0..<i { k[i * n + j] *= parameters.variance }
                        k[i * n + i] = parameters.variance
                    }
                }
            }
        }
        var matrix = kernel
        for i in 0..<n { matrix[i * n + i] += parameters.noise }
        guard let factor = DenseCholesky(matrix, n: n) else { return nil }
        let alpha = factor.solve(targets)
        var fit = 0.0
        for i in 0..<n { fit += targets[i] * alpha[i] }
        let value = -0.5 * fit - 0.5 * factor.logDeterminant - 0.5 * Double(n) * log(2 * Double.pi)
        let inverse = factor.inverse()
        let decaySlope = -0.5 / (1 - parameters.epsilon)
        var variance = 0.0, length = 0.0, epsilon = 0.0, noise = 0.0
        inverse.withUnsafeBufferPointer { inverse in
            kernel.withUnsafeBufferPointer { k in
                alpha.withUnsafeBufferPointer { a in
                    squared.withUnsafeBufferPointer { d in
                        temporal.withUnsafeBufferPointer { t in
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
        return (value, [variance, length * inverseLength, epsilon * decaySlope, noise * parameters.noise])
    }
}
