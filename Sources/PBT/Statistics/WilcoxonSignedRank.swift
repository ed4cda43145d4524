import Foundation

/// Wilcoxon's signed-rank test on paired samples, as `scipy.stats.wilcoxon(x, y,
/// alternative=...)` computes it with its defaults (scipy 1.17: `zero_method="wilcox"`,
/// `correction=False`, `method="auto"`).
///
/// The differences `d = x − y` that are zero are dropped; the others are ranked by `|d|`
/// (ties get their average rank) and the statistic is the sum of the ranks of the positive
/// ones. Its p-value comes from the null distribution of that sum over every assignment of
/// signs — exact, as scipy's `exact` method (no ties, no zeros, at most 50 pairs) and its
/// permutation test (ties or zeros, at most 13 pairs, where all 2ⁿ assignments are
/// enumerated) both are — or otherwise from the normal approximation with the tie
/// correction.
///
/// Used by `pbt compare`: the arms of a comparison share seeds, initial draws and trainable
/// seeds, so a run of PBT and a run of another arm with the same seed are a pair, and this test
/// uses that pairing where Mann–Whitney's ignores it.
public struct WilcoxonSignedRank: Sendable, Equatable {
    /// The sum of the ranks of the positive differences (scipy's `statistic` for a one-sided
    /// alternative).
    public var statistic: Double
    /// The p-value under `alternative`.
    public var pValue: Double
    /// The alternative hypothesis tested (`greater`: x tends to be greater than its pair in y).
    public var alternative: MannWhitneyU.Alternative
    /// The pairs whose difference is not zero: the ones the test ranks.
    public var nonZeroPairs: Int

    /// The most pairs for which the null distribution is computed exactly when there are
    /// ties or zero differences (scipy enumerates the 2ⁿ sign assignments up to 13).
    static let exactWithTiesLimit = 13
    /// The most pairs for which the null distribution is computed exactly (scipy: 50).
    static let exactLimit = 50

    /// Runs the test; nil when the samples differ in length, are empty, or hold a NaN.
    /// - Parameters:
    ///   - x: the first sample.
    ///   - y: the second, `y[i]` paired with `x[i]`.
    ///   - alternative: what the p-value measures evidence for (default: two-sided).
    /// - Complexity: O(n log n), plus O(n · Σ ranks) for the exact null distribution.
    public init?(_ x: [Double], _ y: [Double], alternative: MannWhitneyU.Alternative = .twoSided) {
        guard x.count == y.count, !x.isEmpty, !(x + y).contains(where: \.isNaN) else { return nil }
        let differences = zip(x, y).map { $0 - $1 }
        let nonZero = differences.filter { $0 != 0 }.sorted { abs($0) < abs($1) }
        // Twice the average ranks, so that tied ranks stay integers.
        var doubledRanks = [Int](repeating: 0, count: nonZero.count)
        var tieTerm = 0.0, index = 0
        while index < nonZero.count {
            var end = index
            while end + 1 < nonZero.count && abs(nonZero[end + 1]) == abs(nonZero[index]) { end += 1 }
            for position in index...end { doubledRanks[position] = index + end + 2 }
            let tied = Double(end - index + 1)
            tieTerm += tied * tied * tied - tied
            index = end + 1
        }
        let doubledPositive = zip(nonZero, doubledRanks).reduce(0) { $0 + ($1.0 > 0 ? $1.1 : 0) }
        let count = Double(nonZero.count)
        statistic = Double(doubledPositive) / 2
        self.alternative = alternative
        nonZeroPairs = nonZero.count
        let exact =
            tieTerm == 0 && nonZero.count == differences.count
            ? differences.count <= Self.exactLimit : differences.count <= Self.exactWithTiesLimit
        let upper: Double, lower: Double
        if exact {
            let null = Self.nullDistribution(doubledRanks)
            upper = null[doubledPositive...].reduce(0, +)
            lower = null[...doubledPositive].reduce(0, +)
        } else {
            let mean = count * (count + 1) / 4
            let deviation = ((count * (count + 1) * (2 * count + 1) - tieTerm / 2) / 24).squareRoot()
            guard deviation > 0 else { return nil }
            let z = (statistic - mean) / deviation
            upper = erfc(z / 2.0.squareRoot()) / 2
            lower = erfc(-z / 2.0.squareRoot()) / 2
        }
        switch alternative {
        case .greater: pValue = upper
        case .less: pValue = lower
        case .twoSided: pValue = min(1, 2 * min(upper, lower))
        }
    }

    /// The probability of each doubled rank sum of the positive differences when every sign is
    /// equally likely: `result[s]` = P(Σ positive doubled ranks = s).
    private static func nullDistribution(_ doubledRanks: [Int]) -> [Double] {
        var counts = [Double](repeating: 0, count: doubledRanks.reduce(0, +) + 1)
        counts[0] = 1
        var reach = 0
        for rank in doubledRanks {
            reach += rank
            for sum in Swift.stride(from: reach, through: rank, by: -1) { counts[sum] += counts[sum - rank] }
        }
        let total = pow(2, Double(doubledRanks.count))
        return counts.map { $0 / total }
    }
}
