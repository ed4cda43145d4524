/// Compares the trends of two equally spaced series: the least-squares slopes of each against
/// its index, and a Welch-style t-test of their difference.
///
/// Each slope's standard error is the usual regression one, √(SSR / (n − 2) / Σ(x − x̄)²), with
/// n − 2 degrees of freedom; the statistic is (b₁ − b₂) / √(se₁² + se₂²) and its degrees of
/// freedom the Welch–Satterthwaite combination. Two exact lines (both errors zero) give ±∞ and
/// p = 0 when their slopes differ, 0 and p = 1 when they do not.
public struct SlopeComparison: Sendable, Equatable {
    /// The first series' slope per index step.
    public var first: Double
    /// The second series' slope per index step.
    public var second: Double
    /// (first − second) / standard error of the difference.
    public var statistic: Double
    /// The two-sided p-value of equal slopes.
    public var pValue: Double

    /// Compares the slopes of `a` and `b`; nil unless both have at least 3 values, all finite.
    public init?(_ a: some Collection<Double>, _ b: some Collection<Double>) {
        guard let fitA = Self.fit(a), let fitB = Self.fit(b) else { return nil }
        first = fitA.slope
        second = fitB.slope
        let variance = fitA.variance + fitB.variance
        let difference = fitA.slope - fitB.slope
        guard variance > 0 else {
            statistic = difference == 0 ? 0 : difference > 0 ? .infinity : -.infinity
            pValue = difference == 0 ? 1 : 0
            return
        }
        statistic = difference / variance.squareRoot()
        let degreesOfFreedom =
            variance * variance
            / (fitA.variance * fitA.variance / fitA.degreesOfFreedom
                + fitB.variance * fitB.variance / fitB.degreesOfFreedom)
        pValue = StudentT.twoSidedPValue(statistic, degreesOfFreedom: degreesOfFreedom)
    }

    /// The slope of `values` against 0, 1, …, its squared standard error and n − 2.
    private static func fit(
        _ values: some Collection<Double>
    ) -> (slope: Double, variance: Double, degreesOfFreedom: Double)? {
        let n = values.count
        guard n >= 3, values.allSatisfy(\.isFinite) else { return nil }
        let meanX = Double(n - 1) / 2
        let meanY = values.reduce(0, +) / Double(n)
        var sxx = 0.0, sxy = 0.0
        for (index, y) in values.enumerated() {
            let dx = Double(index) - meanX
            sxx += dx * dx
            sxy += dx * (y - meanY)
        }
        let slope = sxy / sxx
        var ssr = 0.0
        for (index, y) in values.enumerated() {
            let residual = (y - meanY) - slope * (Double(index) - meanX)
            ssr += residual * residual
        }
        let degreesOfFreedom = Double(n - 2)
        return (slope, ssr / degreesOfFreedom / sxx, degreesOfFreedom)
    }
}
