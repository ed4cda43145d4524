#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The upper confidence bound `UCB(h) = μ(h) + κ · s(h)` at the deciding point's time and
/// score, as a function of the encoded hyperparameters `h ∈ [0, 1]^d`, with its gradient.
///
/// `μ` is the mean of the GP on the data; `s` the posterior **standard deviation** of the GP on
/// the data plus the pending points (labelled 0, same kernel parameters). The paper's GP-UCB
/// and its regret bound use `μ + √β σ`; Ray Tune adds `√β σ²`, which mixes units (the mean is
/// in standardised rate, the variance in its square) so the trade-off changes with the fitted
/// σ². `κ = √β_t`, `β_t = 0.2 + max(0, ln(0.4 N))` with `N` the rows in the data GP.
struct PB2Acquisition {
    /// `d`.
    let dimension: Int
    /// The rows of the data GP, `n`.
    let dataCount: Int
    /// The rows of the spread GP, `n + pending`.
    let count: Int
    /// Per spread-GP row, `σ² · exp(−(s* − sᵢ)² / ℓ) · (1 − ε)^{|t* − tᵢ| / 2}`.
    let weights: [Double]
    /// The rows' encoded hyperparameters, row-major `count × d`.
    let points: [Double]
    /// The data GP's `α = K⁻¹ y`.
    let alpha: [Double]
    /// The spread GP's `K⁻¹`.
    let inverse: [Double]
    /// σ².
    let variance: Double
    /// `1 / ℓ`.
    let inverseLength: Double
    /// κ.
    let kappa: Double

    /// Prepares the acquisition at the normalised point `(time, score)`.
    /// - Parameters:
    ///   - data: the GP on the data, whose mean is used.
    ///   - spread: the GP on the data then the pending points, with the same parameters.
    init(data: PB2GaussianProcess, spread: PB2GaussianProcess, time: Double, score: Double) {
        let inputs = spread.inputs, parameters = spread.parameters
        let m = inputs.dimension
        dimension = m - 1
        dataCount = data.inputs.count
        count = inputs.count
        variance = parameters.variance
        inverseLength = 1 / parameters.lengthscale
        let halfLogDecay = 0.5 * log1p(-parameters.epsilon)
        weights = (0..<count).map { i in
            let gap = score - inputs.z[i * m]
            return parameters.variance
                * exp(-gap * gap / parameters.lengthscale + halfLogDecay * abs(time - inputs.time[i]))
        }
        points = (0..<count).flatMap { i in inputs.z[(i * m + 1)..<((i + 1) * m)] }
        alpha = data.alpha
        inverse = spread.factor.inverse()
        kappa = (0.2 + max(0, log(0.4 * Double(dataCount)))).squareRoot()
    }

    /// The value at `x` with its parts and gradient.
    /// - Complexity: O((n + pending)²) for the variance.
    func evaluate(_ x: [Double]) -> (value: Double, mean: Double, deviation: Double, gradient: [Double]) {
        let d = dimension, n = count
        var kernel = [Double](repeating: 0, count: n)
        var solved = [Double](repeating: 0, count: n)
        var meanGradient = [Double](repeating: 0, count: d)
        var varianceGradient = [Double](repeating: 0, count: d)
        var mean = 0.0, explained = 0.0
        points.withUnsafeBufferPointer { p in
            weights.withUnsafeBufferPointer { w in
                kernel.withUnsafeMutableBufferPointer { k in
                    for i in 0..<n {
                        var sum = 0.0
                        for j in 0..<d {
                            let gap = x[j] - p[i * d + j]
                            sum += gap * gap
                        }
                        k[i] = w[i] * exp(-sum * inverseLength)
                    }
                }
            }
        }
        kernel.withUnsafeBufferPointer { k in
            inverse.withUnsafeBufferPointer { inverse in
                solved.withUnsafeMutableBufferPointer { v in
                    for i in 0..<n {
                        v[i] = dot(inverse.baseAddress! + i * n, k.baseAddress!, count: n)
                        explained += v[i] * k[i]
                    }
                }
            }
            points.withUnsafeBufferPointer { p in
                alpha.withUnsafeBufferPointer { a in
                    for i in 0..<n {
                        let meanWeight = i < dataCount ? a[i] * k[i] : 0
                        mean += meanWeight
                        let spreadWeight = solved[i] * k[i]
                        for j in 0..<d {
                            let gap = x[j] - p[i * d + j]
                            meanGradient[j] += meanWeight * gap
                            varianceGradient[j] += spreadWeight * gap
                        }
                    }
                }
            }
        }
        let latent = max(variance - explained, 1e-12)
        let deviation = latent.squareRoot()
        // ∂kᵢ/∂x = −2 kᵢ (x − hᵢ) / ℓ; ∂var/∂x = −2 vᵀ ∂k/∂x; ∂s/∂x = ∂var/∂x / (2 s).
        let gradient = (0..<d).map { j in
            -2 * inverseLength * meanGradient[j] + kappa * (4 * inverseLength * varianceGradient[j]) / (2 * deviation)
        }
        return (mean + kappa * deviation, mean, deviation, gradient)
    }
}
