import Foundation

/// Result of Welch's unequal-variance two-sample t-test.
///
/// With sample means m_a, m_b, variances s_a², s_b² (denominator n - 1) and sizes n_a, n_b:
///
///     t = (m_a - m_b) / √(s_a²/n_a + s_b²/n_b)
///     ν = (s_a²/n_a + s_b²/n_b)² / ((s_a²/n_a)²/(n_a - 1) + (s_b²/n_b)²/(n_b - 1))
///
/// and the p-value is the two-sided Student t tail at ν degrees of freedom (``StudentT``).
/// Agrees with `scipy.stats.ttest_ind(a, b, equal_var=False)` to 1e-9 relative wherever scipy
/// is itself that accurate, and with the exact values for the given doubles to about 1e-15
/// (t, ν) and 1e-13 (p, whose relative error grows with |ln p|).
///
/// Numerics: two passes. Each mean is a compensated sum carried in two doubles, and the
/// variances are sums of squared deviations from it (corrected two-pass algorithm), so data
/// such as 1e8 ± 1 lose nothing to cancellation; scipy, whose means are rounded to one
/// double, is off by 1e-8 on such data. Both samples are rescaled by exact powers of two, so
/// sums of huge values cannot overflow and squares of tiny deviations cannot underflow; the
/// result is the same as without rescaling.
///
/// Degenerate inputs, where scipy returns NaN or an arbitrary ν:
/// - **Both samples constant.** The standard error is zero, so there is no sampling noise at
///   all: if the means differ the difference is certain, so `statistic` is ±infinity (the
///   sign of m_a - m_b) and `pValue` is 0, as scipy also answers; if the means are equal there
///   is no evidence of a difference, so `statistic` is 0 and `pValue` is 1 (scipy: NaN, which
///   a scheduler comparing p-values would have to special-case). Welch's ν is 0/0 here; two
///   zero variances are equal, so the equal-variance (Student) value ν = n_a + n_b - 2 is
///   reported (scipy reports a placeholder 1). The p-value does not depend on it.
/// - **One sample constant.** Nothing special: its variance is zero and ν = n - 1 of the other.
/// - **A NaN or infinite value** in either sample makes all three fields NaN.
/// - **Fewer than two values** in either sample: no variance can be estimated, the
///   initializer returns nil.
///
/// Equality is field by field, so results with NaN fields are unequal to everything.
public struct WelchTTest: Sendable, Equatable {
    /// Welch's t statistic; positive when the first sample's mean is larger.
    public var statistic: Double
    /// The Welch–Satterthwaite degrees of freedom, between min(n_a, n_b) - 1 and n_a + n_b - 2.
    public var degreesOfFreedom: Double
    /// The two-sided p-value, P(|T| ≥ |t|) under equal means.
    public var pValue: Double

    /// Runs the test on two samples; nil when either sample has fewer than 2 values.
    ///
    /// - Parameters:
    ///   - a: The first sample; the statistic is positive when its mean is the larger.
    ///   - b: The second sample.
    /// - Complexity: O(n_a + n_b) time and memory: a few passes over copies of the samples.
    public init?(_ a: some Collection<Double>, _ b: some Collection<Double>) {
        let a = Array(a)
        let b = Array(b)
        guard a.count >= 2, b.count >= 2 else { return nil }
        let na = Double(a.count)
        let nb = Double(b.count)
        guard a.allSatisfy(\.isFinite), b.allSatisfy(\.isFinite) else {
            self.init(statistic: .nan, degreesOfFreedom: .nan, pValue: .nan)
            return
        }

        // Work in units of a power of two near the largest magnitude: exact, and keeps the
        // sums below overflow.
        let largest = max(Self.largestMagnitude(a), Self.largestMagnitude(b))
        let valueExponent = largest == 0 ? 0 : largest.exponent
        let sa = Self.centered(a, exponent: valueExponent)
        let sb = Self.centered(b, exponent: valueExponent)

        let largestDeviation = max(
            Self.largestMagnitude(sa.deviations), Self.largestMagnitude(sb.deviations))
        guard largestDeviation > 0 else {
            // Both samples constant (see the type's documentation).
            let difference = sa.mean - sb.mean
            self.init(
                statistic: difference == 0 ? 0 : difference > 0 ? .infinity : -.infinity,
                degreesOfFreedom: na + nb - 2,
                pValue: difference == 0 ? 1 : 0)
            return
        }
        // Rescale again so the largest deviation is in [1, 2): squares can neither overflow
        // nor underflow.
        let deviationExponent = largestDeviation.exponent
        let varianceA = Self.sumOfSquares(sa.deviations, exponent: deviationExponent) / (na - 1)
        let varianceB = Self.sumOfSquares(sb.deviations, exponent: deviationExponent) / (nb - 1)
        let difference = scalbn(
            (sa.mean - sb.mean) + (sa.residual - sb.residual), -deviationExponent)

        let vna = varianceA / na
        let vnb = varianceB / nb
        let squaredStandardError = vna + vnb
        let statistic = difference / squaredStandardError.squareRoot()
        let degreesOfFreedom =
            squaredStandardError * squaredStandardError
            / (vna * vna / (na - 1) + vnb * vnb / (nb - 1))
        self.init(
            statistic: statistic,
            degreesOfFreedom: degreesOfFreedom,
            pValue: StudentT.twoSidedPValue(statistic, degreesOfFreedom: degreesOfFreedom))
    }

    private init(statistic: Double, degreesOfFreedom: Double, pValue: Double) {
        self.statistic = statistic
        self.degreesOfFreedom = degreesOfFreedom
        self.pValue = pValue
    }

    /// The largest |x|, or 0 for an empty array.
    private static func largestMagnitude(_ values: [Double]) -> Double {
        values.reduce(0) { max($0, abs($1)) }
    }

    /// The mean of `values × 2^-exponent`, as the unevaluated sum `mean + residual`, and the
    /// deviations from it.
    ///
    /// The sum is compensated (Neumaier) and the division's remainder recovered exactly with a
    /// fused multiply-add, so `mean + residual` is the mean with an error of order n·ε² rather
    /// than ε: the difference of two means keeps its digits even when it cancels (data like
    /// 1e8 ± 1, or means equal to 1e-9 of their size). A constant sample gets exactly its
    /// value as mean and zero deviations.
    private static func centered(
        _ values: [Double], exponent: Int
    ) -> (mean: Double, residual: Double, deviations: [Double]) {
        let scaled = values.map { scalbn($0, -exponent) }
        let first = scaled[0]
        if scaled.allSatisfy({ $0 == first }) {
            return (first, 0, [Double](repeating: 0, count: scaled.count))
        }
        var sum = 0.0
        var compensation = 0.0
        for value in scaled {
            let next = sum + value
            compensation += abs(sum) >= abs(value) ? (sum - next) + value : (value - next) + sum
            sum = next
        }
        let total = sum + compensation
        let totalError = compensation - (total - sum)
        let n = Double(scaled.count)
        let mean = total / n
        // total - mean·n, exactly (the remainder of a rounded division is representable).
        let remainder = total.addingProduct(-mean, n)
        let residual = (remainder + totalError) / n
        return (mean, residual, scaled.map { ($0 - mean) - residual })
    }

    /// Σd² - (Σd)²/n over `deviations × 2^-exponent` (the corrected two-pass sum of squares).
    private static func sumOfSquares(_ deviations: [Double], exponent: Int) -> Double {
        var sum = 0.0
        var sumOfSquares = 0.0
        for deviation in deviations {
            let d = scalbn(deviation, -exponent)
            sum += d
            sumOfSquares += d * d
        }
        return max(0, sumOfSquares - sum * sum / Double(deviations.count))
    }
}
