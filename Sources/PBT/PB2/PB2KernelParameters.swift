/// The parameters of PB2's time-varying squared-exponential kernel and its noise:
/// `k(x, x′) = σ² · exp(−‖z − z′‖² / ℓ) · (1 − ε)^{|t − t′| / 2}`, plus `noise` on the diagonal.
///
/// `t` is the normalised time and `z` every other normalised column (score before, then the
/// tunable hyperparameters). The targets are standardised, so σ² and `noise` are in units of
/// the targets' variance.
///
/// With unordered choices (PB2-Mix), `z` holds the numeric columns only and the kernel mixes
/// in the overlap `o(c, c′)`, the fraction of the choices on which two rows agree, as CoCaBO
/// (Ru et al. 2020) and PB2-Mix (Parker-Holder et al. 2021) do:
/// `k = σ² · (1 − ε)^{|t − t′| / 2} · ((1 − λ) · ½ (s + o) + λ · s · o)` with
/// `s = exp(−‖z − z′‖² / ℓ)` and the mix `λ` in [0, 1]; `k(x, x) = σ²` still. The PB2-Mix
/// code's kernel (`TV_MixtureViaSumAndProduct` in jparkerholder/procgen_autorl) gives the two
/// parts their own variance and their own ε; here they share σ² and ε (CoCaBO's unit-variance
/// parts under one outer variance, and one forgetting rate for the whole row), two parameters
/// fewer to fit on windows of a few dozen rows.
public struct PB2KernelParameters: Hashable, Sendable, Codable, CustomStringConvertible {
    /// σ², the prior variance of the improvement rate.
    public var variance: Double
    /// ℓ, the squared length scale (it divides the squared distance, as in Ray Tune).
    public var lengthscale: Double
    /// ε in [0, 0.5]: how fast old observations are forgotten per unit of normalised time.
    public var epsilon: Double
    /// The observation noise variance added to the diagonal.
    public var noise: Double
    /// λ in [0, 1], the weight of the product of the squared exponential and the overlap
    /// kernel against their mean (PB2-Mix); nil without unordered choices.
    public var mix: Double?

    /// Creates a parameter set.
    /// - Parameters:
    ///   - variance: σ².
    ///   - lengthscale: ℓ.
    ///   - epsilon: ε.
    ///   - noise: the noise variance.
    ///   - mix: λ, for a space with unordered choices (nil: none).
    public init(variance: Double, lengthscale: Double, epsilon: Double, noise: Double, mix: Double? = nil) {
        self.variance = variance
        self.lengthscale = lengthscale
        self.epsilon = epsilon
        self.noise = noise
        self.mix = mix
    }

    /// `σ²=…, ℓ=…, ε=…, noise=…` with six significant digits, then `, λ=…` with a mix.
    public var description: String {
        func format(_ value: Double) -> String { HyperparameterValue.number(value).description }
        return "σ²=\(format(variance)), ℓ=\(format(lengthscale)), ε=\(format(epsilon)), noise=\(format(noise))"
            + (mix.map { ", λ=\(format($0))" } ?? "")
    }
}

extension PB2KernelParameters {
    /// The fitted coordinates `(log σ², log ℓ, ε, log noise)`, then λ with a mix.
    var coordinates: [Double] { [log(variance), log(lengthscale), epsilon, log(noise)] + (mix.map { [$0] } ?? []) }

    /// The parameters at fitted coordinates `(log σ², log ℓ, ε, log noise)`, and λ if there is
    /// a fifth.
    init(coordinates c: [Double]) {
        self.init(
            variance: exp(c[0]), lengthscale: exp(c[1]), epsilon: c[2], noise: exp(c[3]), mix: c.count > 4 ? c[4] : nil)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
