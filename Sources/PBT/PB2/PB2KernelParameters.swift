/// The parameters of PB2's time-varying squared-exponential kernel and its noise:
/// `k(x, x′) = σ² · exp(−‖z − z′‖² / ℓ) · (1 − ε)^{|t − t′| / 2}`, plus `noise` on the diagonal.
///
/// `t` is the normalised time and `z` every other normalised column (score before, then the
/// tunable hyperparameters). The targets are standardised, so σ² and `noise` are in units of
/// the targets' variance.
public struct PB2KernelParameters: Hashable, Sendable, Codable, CustomStringConvertible {
    /// σ², the prior variance of the improvement rate.
    public var variance: Double
    /// ℓ, the squared length scale (it divides the squared distance, as in Ray Tune).
    public var lengthscale: Double
    /// ε in [0, 0.5]: how fast old observations are forgotten per unit of normalised time.
    public var epsilon: Double
    /// The observation noise variance added to the diagonal.
    public var noise: Double

    /// Creates a parameter set.
    public init(variance: Double, lengthscale: Double, epsilon: Double, noise: Double) {
        self.variance = variance
        self.lengthscale = lengthscale
        self.epsilon = epsilon
        self.noise = noise
    }

    /// `σ²=…, ℓ=…, ε=…, noise=…` with six significant digits.
    public var description: String {
        func format(_ value: Double) -> String { HyperparameterValue.number(value).description }
        return "σ²=\(format(variance)), ℓ=\(format(lengthscale)), ε=\(format(epsilon)), noise=\(format(noise))"
    }
}

extension PB2KernelParameters {
    /// The fitted coordinates `(log σ², log ℓ, ε, log noise)`.
    var coordinates: [Double] { [log(variance), log(lengthscale), epsilon, log(noise)] }

    /// The parameters at fitted coordinates `(log σ², log ℓ, ε, log noise)`.
    init(coordinates c: [Double]) {
        self.init(variance: exp(c[0]), lengthscale: exp(c[1]), epsilon: c[2], noise: exp(c[3]))
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
