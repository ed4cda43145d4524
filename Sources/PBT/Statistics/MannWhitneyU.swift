import Foundation

/// The Mann-Whitney U test (two-sided), as `scipy.stats.mannwhitneyu(a, b)` computes it with
/// its default method: the exact distribution when there are no ties and either sample has at
/// most 8 values, otherwise the normal approximation with tie and continuity corrections.
///
/// Used by `pbt compare` to say whether PBT's final scores differ from random search's.
public struct MannWhitneyU: Sendable, Equatable {
    /// U of the first sample: the number of pairs (a, b) with a > b, ties counting one half.
    public var statistic: Double
    /// The two-sided p-value.
    public var pValue: Double

    /// Runs the test; nil when a sample is empty or holds a NaN.
    /// - Complexity: O((n + m) log(n + m)), plus O(n·m·min(n, m)) for the exact distribution.
    public init?(_ a: [Double], _ b: [Double]) {
        guard !a.isEmpty, !b.isEmpty, !(a + b).contains(where: \.isNaN) else { return nil }
        let n1 = Double(a.count), n2 = Double(b.count), n = n1 + n2
        let pooled = (a.map { ($0, true) } + b.map { ($0, false) }).sorted { $0.0 < $1.0 }
        var rankSumA = 0.0, tieTerm = 0.0, index = 0
        while index < pooled.count {
            var end = index
            while end + 1 < pooled.count && pooled[end + 1].0 == pooled[index].0 { end += 1 }
            let rank = Double(index + end + 2) / 2
            let tied = Double(end - index + 1)
            tieTerm += tied * tied * tied - tied
            for position in index...end where pooled[position].1 { rankSumA += rank }
            index = end + 1
        }
        let u1 = rankSumA - n1 * (n1 + 1) / 2
        let u = max(u1, n1 * n2 - u1)
        statistic = u1
        if tieTerm == 0 && min(a.count, b.count) <= 8 {
            pValue = min(1, 2 * Self.exactUpperTail(Int(u.rounded()), a.count, b.count))
        } else {
            let sd = (n1 * n2 / 12 * ((n + 1) - tieTerm / (n * (n - 1)))).squareRoot()
            pValue = sd > 0 ? min(1, erfc((u - n1 * n2 / 2 - 0.5) / sd / 2.0.squareRoot())) : 1
        }
    }

    /// P(U ≥ u) under the null hypothesis, from the counts of each U over all arrangements.
    private static func exactUpperTail(_ u: Int, _ n1: Int, _ n2: Int) -> Double {
        // counts[j][k]: arrangements of i values of a and j of b with U = k, built up over i.
        let maxU = n1 * n2
        var counts = [[Double]](repeating: [Double](repeating: 0, count: maxU + 1), count: n2 + 1)
        for j in 0...n2 { counts[j][0] = 1 }
        for i in 1...n1 {
            var next = [[Double]](repeating: [Double](repeating: 0, count: maxU + 1), count: n2 + 1)
            next[0][0] = 1
            for j in 1...n2 {
                for k in 0...min(maxU, i * j) {
                    // The largest value is from a (it beats all j values of b) or from b.
                    next[j][k] = (k >= j ? counts[j][k - j] : 0) + next[j - 1][k]
                }
            }
            counts = next
        }
        let distribution = counts[n2]
        let total = distribution.reduce(0, +)
        return distribution[min(u, maxU)...].reduce(0, +) / total
    }
}
