import Foundation

/// The Mann-Whitney U test, as `scipy.stats.mannwhitneyu(x, y, alternative=...)` computes it
/// with its default method (scipy 1.17, `_mwu_choose_method`): the exact distribution when
/// there are no ties and either sample has at most 8 values, otherwise the normal
/// approximation with tie and continuity corrections.
///
/// Used by `pbt compare` to say whether PBT's final scores are better than another arm's.
public struct MannWhitneyU: Sendable, Equatable {
    /// The alternative hypothesis, as scipy's `alternative` names it.
    public enum Alternative: String, Sendable, Codable {
        /// The distributions differ (either direction).
        case twoSided = "two-sided"
        /// The first sample's values tend to be greater than the second's.
        case greater
        /// The first sample's values tend to be less than the second's.
        case less
    }

    /// U of the first sample: the number of pairs (x, y) with x > y, ties counting one half
    /// (scipy's `statistic`, whatever the alternative).
    public var statistic: Double
    /// The p-value under `alternative`.
    public var pValue: Double
    /// The alternative hypothesis tested.
    public var alternative: Alternative

    /// Runs the test; nil when a sample is empty or holds a NaN.
    /// - Parameters:
    ///   - x: the first sample.
    ///   - y: the second sample.
    ///   - alternative: what the p-value measures evidence for (default: two-sided).
    /// - Complexity: O((n + m) log(n + m)), plus O(n·m·min(n, m)) for the exact distribution.
    public init?(_ x: [Double], _ y: [Double], alternative: Alternative = .twoSided) {
        guard !x.isEmpty, !y.isEmpty, !(x + y).contains(where: \.isNaN) else { return nil }
        let n1 = Double(x.count), n2 = Double(y.count), n = n1 + n2
        let pooled = (x.map { ($0, true) } + y.map { ($0, false) }).sorted { $0.0 < $1.0 }
        var rankSumX = 0.0, tieTerm = 0.0, index = 0
        while index < pooled.count {
            var end = index
            while end + 1 < pooled.count && pooled[end + 1].0 == pooled[index].0 { end += 1 }
            let rank = Double(index + end + 2) / 2
            let tied = Double(end - index + 1)
            tieTerm += tied * tied * tied - tied
            for position in index...end where pooled[position].1 { rankSumX += rank }
            index = end + 1
        }
        let u1 = rankSumX - n1 * (n1 + 1) / 2
        // As scipy: the upper tail of U1 (greater), of U2 (less, by symmetry), or of the larger
        // of the two, doubled (two-sided).
        let u: Double, factor: Double
        switch alternative {
        case .greater: (u, factor) = (u1, 1)
        case .less: (u, factor) = (n1 * n2 - u1, 1)
        case .twoSided: (u, factor) = (max(u1, n1 * n2 - u1), 2)
        }
        statistic = u1
        self.alternative = alternative
        let upperTail: Double
        if tieTerm == 0 && min(x.count, y.count) <= 8 {
            upperTail = Self.exactUpperTail(Int(u.rounded()), x.count, y.count)
        } else {
            let sd = (n1 * n2 / 12 * ((n + 1) - tieTerm / (n * (n - 1)))).squareRoot()
            // scipy's z = (U - mean - 0.5) / sd and p = Φ(-z); with every value tied sd is 0
            // and U - mean - 0.5 < 0, so z = -∞ and p = 1.
            upperTail = sd > 0 ? erfc((u - n1 * n2 / 2 - 0.5) / sd / 2.0.squareRoot()) / 2 : 1
        }
        pValue = min(1, max(0, factor * upperTail))
    }

    /// P(U ≥ u) under the null hypothesis, from the counts of each U over all arrangements.
    private static func exactUpperTail(_ u: Int, _ n1: Int, _ n2: Int) -> Double {
        // counts[j][k]: arrangements of i values of x and j of y with U = k, built up over i.
        let maxU = n1 * n2
        guard u <= maxU else { return 0 }
        var counts = [[Double]](repeating: [Double](repeating: 0, count: maxU + 1), count: n2 + 1)
        for j in 0...n2 { counts[j][0] = 1 }
        for i in 1...n1 {
            var next = [[Double]](repeating: [Double](repeating: 0, count: maxU + 1), count: n2 + 1)
            next[0][0] = 1
            for j in 1...n2 {
                for k in 0...min(maxU, i * j) {
                    // The largest value is from x (it beats all j values of y) or from y.
                    next[j][k] = (k >= j ? counts[j][k - j] : 0) + next[j - 1][k]
                }
            }
            counts = next
        }
        let distribution = counts[n2]
        let total = distribution.reduce(0, +)
        return distribution[max(0, u)...].reduce(0, +) / total
    }
}
