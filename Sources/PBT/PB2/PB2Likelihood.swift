#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The log marginal likelihood of PB2's GP on fixed inputs and targets as a function of the
/// fitted coordinates `(log σ², log ℓ, ε, log noise)` — and λ with unordered choices, the
/// mixed kernel of `PB2KernelParameters` — with its gradient: what `PB2Fit` maximises. The
/// pairwise distances (and overlaps) are computed once, so a value costs the exponentials and
/// one factorisation, and its gradient one inverse from that factor.
struct PB2Likelihood {
    /// The number of rows.
    let count: Int
    /// The targets.
    let targets: [Double]
    private let squared: [Double]
    private let temporal: [Double]
    /// The rows' overlaps (`PB2Inputs.overlaps`); empty without unordered choices.
    private let overlap: [Double]
    private let workspace: Workspace

    /// The buffers an evaluation writes, allocated once per likelihood (a fit evaluates it
    /// ~100 times; fresh `n × n` arrays cost more in page faults than the arithmetic).
    private final class Workspace {
        let kernel: UnsafeMutablePointer<Double>
        let factor: UnsafeMutablePointer<Double>
        let scratch: UnsafeMutablePointer<Double>
        let inverse: UnsafeMutablePointer<Double>
        let alpha: UnsafeMutablePointer<Double>
        /// The mixed kernel's `exp(−‖Δz‖²/ℓ) · T` and `T = (1 − ε)^{|Δt|/2}`, lower triangles
        /// (one element each without unordered choices).
        let exponential: UnsafeMutablePointer<Double>
        let decay: UnsafeMutablePointer<Double>
        /// The parameters whose kernel, factor and `α` the buffers hold (nil: none yet, or a
        /// `value` that failed).
        var parameters: PB2KernelParameters?

        init(_ n: Int, mixed: Bool) {
            func zeros(_ count: Int) -> UnsafeMutablePointer<Double> {
                let buffer = UnsafeMutablePointer<Double>.allocate(capacity: max(count, 1))
                buffer.initialize(repeating: 0, count: max(count, 1))
                return buffer
            }
            kernel = zeros(n * n)
            factor = zeros(n * n)
            scratch = zeros(n * n)
            inverse = zeros(n * n)
            alpha = zeros(n)
            exponential = zeros(mixed ? n * n : 0)
            decay = zeros(mixed ? n * n : 0)
        }

        deinit {
            for buffer in [kernel, factor, scratch, inverse, alpha, exponential, decay] { buffer.deallocate() }
        }
    }

    /// Prepares the likelihood of `targets` at `inputs`.
    init(inputs: PB2Inputs, targets: [Double]) {
        count = inputs.count
        self.targets = targets
        (squared, temporal) = inputs.distances()
        overlap = inputs.overlaps()
        workspace = Workspace(inputs.count, mixed: inputs.categoryCount > 0)
    }

    /// `log p(y)` and its gradient `½ tr((ααᵀ − K⁻¹) ∂K/∂θ)` with respect to the coordinates;
    /// nil when `K` cannot be factorised even with jitter (the jitter schedule of `DenseCholesky`).
    /// Not safe to call from two threads at once (the workspace is shared).
    /// - Complexity: O(n³/2) multiply-adds (factorisation, then `K⁻¹` from the factor) and
    ///   n²/2 exponentials.
    func evaluate(_ parameters: PB2KernelParameters) -> (value: Double, gradient: [Double])? {
        value(parameters).map { ($0, gradient(parameters)) }
    }

    /// `log p(y)` alone, leaving the kernel, its factor and `α = K⁻¹ y` in the workspace for
    /// `gradient`; nil when `K` cannot be factorised even with jitter.
    /// - Complexity: O(n³/6) multiply-adds and n²/2 exponentials.
    func value(_ parameters: PB2KernelParameters) -> Double? {
        let n = count
        let k = workspace.kernel, l = workspace.factor, a = workspace.alpha
        workspace.parameters = nil
        if !overlap.isEmpty {
            fillMixedKernel(parameters)
        } else {
            fillKernel(parameters)
        }
        // K = K_f + noise I, the noise added as the factorisation's diagonal shift.
        let meanDiagonal = parameters.variance + parameters.noise
        guard meanDiagonal.isFinite, meanDiagonal > 0 else { return nil }
        var jitter = 0.0, factorised = false
        for round in 0...7 where !factorised {
            if round > 0 { jitter = round == 1 ? 1e-10 * meanDiagonal : jitter * 10 }
            factorised = DenseCholesky.factorise(k, jitter: parameters.noise + jitter, n: n, into: l)
        }
        guard factorised else { return nil }
        var fit = 0.0, logDeterminant = 0.0
        for i in 0..<n { a[i] = targets[i] }
        DenseCholesky.forward(l, stride: n, n: n, a, from: 0)
        DenseCholesky.backward(l, stride: n, n: n, a)
        for i in 0..<n {
            fit += targets[i] * a[i]
            logDeterminant += 2 * log(l[i * n + i])
        }
        workspace.parameters = parameters
        return -0.5 * fit - 0.5 * logDeterminant - 0.5 * Double(n) * log(2 * Double.pi)
    }

    /// `K_f`'s lower triangle into the workspace's kernel.
    private func fillKernel(_ parameters: PB2KernelParameters) {
        let n = count
        let inverseLength = 1 / parameters.lengthscale
        let halfLogDecay = 0.5 * log1p(-parameters.epsilon)
        let k = workspace.kernel
        squared.withUnsafeBufferPointer { d in
            temporal.withUnsafeBufferPointer { t in
                for i in 0..<n {
                    let row = k + i * n
                    for j in 0..<i { row[j] = -d[i * n + j] * inverseLength + halfLogDecay * t[i * n + j] }
                    exponentiate(row, count: i)
                    for j in 0..<i { row[j] *= parameters.variance }
                    row[i] = parameters.variance
                }
            }
        }
    }

    /// The mixed kernel's `K_f` (see `PB2Inputs.kernelMatrix`), keeping its exponential and
    /// decay parts for the gradient.
    private func fillMixedKernel(_ parameters: PB2KernelParameters) {
        let n = count
        let inverseLength = 1 / parameters.lengthscale
        let halfLogDecay = 0.5 * log1p(-parameters.epsilon)
        let variance = parameters.variance, mix = parameters.mix!, half = (1 - mix) / 2
        let k = workspace.kernel, e = workspace.exponential, decay = workspace.decay
        squared.withUnsafeBufferPointer { d in
            temporal.withUnsafeBufferPointer { t in
                overlap.withUnsafeBufferPointer { o in
                    for i in 0..<n {
                        let row = k + i * n, exponentialRow = e + i * n, decayRow = decay + i * n
                        for j in 0..<i {
                            exponentialRow[j] = -d[i * n + j] * inverseLength + halfLogDecay * t[i * n + j]
                            decayRow[j] = halfLogDecay * t[i * n + j]
                        }
                        exponentiate(exponentialRow, count: i)
                        exponentiate(decayRow, count: i)
                        for j in 0..<i {
                            let overlap = o[i * n + j]
                            row[j] =
                                variance * (exponentialRow[j] * (half + mix * overlap) + half * overlap * decayRow[j])
                        }
                        row[i] = variance
                    }
                }
            }
        }
    }

    /// The gradient at `parameters`, which must be those of the latest `value` call, and one
    /// that returned a value (the optimiser asks for it only at the points it accepts).
    /// - Complexity: O(n³/3) multiply-adds for `K⁻¹` from the factor.
    func gradient(_ parameters: PB2KernelParameters) -> [Double] {
        precondition(
            workspace.parameters == parameters, "PB2Likelihood.gradient without a value at the same parameters")
        if !overlap.isEmpty { return mixedGradient(parameters) }
        let n = count
        let inverseLength = 1 / parameters.lengthscale
        let k = workspace.kernel, l = workspace.factor, a = workspace.alpha, inverse = workspace.inverse
        DenseCholesky.inverse(l, stride: n, n: n, scratch: workspace.scratch, into: inverse)
        let decaySlope = -0.5 / (1 - parameters.epsilon)
        var variance = 0.0, length = 0.0, epsilon = 0.0, noise = 0.0
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
        return [variance, length * inverseLength, epsilon * decaySlope, noise * parameters.noise]
    }

    /// The mixed kernel's gradient in `(log σ², log ℓ, ε, log noise, λ)`: with `W = ααᵀ − K⁻¹`
    /// and the parts of `PB2Inputs.kernelMatrix`, `½ tr(W ∂K)` for `∂K/∂log σ² = K_f`,
    /// `∂K/∂log ℓ = σ² E (‖Δz‖²/ℓ) ((1 − λ)/2 + λ O)`, `∂K/∂ε = −K_f |Δt| / (2 (1 − ε))`,
    /// `∂K/∂log noise = noise · I` and `∂K/∂λ = σ² (E (O − ½) − ½ O T)` (zero on the diagonal).
    private func mixedGradient(_ parameters: PB2KernelParameters) -> [Double] {
        let n = count
        let k = workspace.kernel, l = workspace.factor, a = workspace.alpha, inverse = workspace.inverse
        let e = workspace.exponential, decay = workspace.decay
        DenseCholesky.inverse(l, stride: n, n: n, scratch: workspace.scratch, into: inverse)
        let mix = parameters.mix!, half = (1 - mix) / 2
        var variance = 0.0, length = 0.0, epsilon = 0.0, noise = 0.0, mixing = 0.0
        squared.withUnsafeBufferPointer { d in
            temporal.withUnsafeBufferPointer { t in
                overlap.withUnsafeBufferPointer { o in
                    for i in 0..<n {
                        let diagonal = a[i] * a[i] - inverse[i * n + i]
                        variance += 0.5 * diagonal * k[i * n + i]
                        noise += 0.5 * diagonal
                        for j in 0..<i {
                            let index = i * n + j
                            let w = a[i] * a[j] - inverse[index]
                            let overlap = o[index]
                            variance += w * k[index]
                            length += w * e[index] * d[index] * (half + mix * overlap)
                            epsilon += w * k[index] * t[index]
                            mixing += w * (e[index] * (overlap - 0.5) - 0.5 * overlap * decay[index])
                        }
                    }
                }
            }
        }
        let scale = parameters.variance
        return [
            variance, length * scale / parameters.lengthscale, epsilon * (-0.5 / (1 - parameters.epsilon)),
            noise * parameters.noise, mixing * scale,
        ]
    }
}
