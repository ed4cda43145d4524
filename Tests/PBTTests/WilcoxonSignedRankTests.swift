import Testing

@testable import PBT

/// The paired test of `pbt compare` against scipy (cases from `scripts/compare_reference.py`).
@Suite("Wilcoxon signed-rank against scipy.stats.wilcoxon (scipy 1.17, defaults)")
struct WilcoxonSignedRankTests {
    /// Relative agreement required of every p-value.
    static let tolerance = 1e-12

    @Test("the statistic and the p-value of every alternative agree with scipy", arguments: WilcoxonCase.all)
    func agreesWithScipy(_ reference: WilcoxonCase) throws {
        let cases: [(MannWhitneyU.Alternative, Double)] = [
            (.greater, reference.greater), (.less, reference.less), (.twoSided, reference.twoSided),
        ]
        for (alternative, p) in cases {
            let test = try #require(WilcoxonSignedRank(reference.x, reference.y, alternative: alternative))
            #expect(test.statistic == reference.statistic)
            #expect(
                abs(test.pValue - p) <= Self.tolerance * max(p, 1e-300), "\(alternative) p \(test.pValue) vs scipy \(p)"
            )
        }
    }

    @Test("unequal lengths, empty samples and NaN give nil; zero differences are dropped")
    func degenerate() throws {
        #expect(WilcoxonSignedRank([1, 2], [1]) == nil)
        #expect(WilcoxonSignedRank([], []) == nil)
        #expect(WilcoxonSignedRank([.nan], [1]) == nil)
        let test = try #require(WilcoxonSignedRank([1, 2, 3, 4], [1, 1, 1, 1], alternative: .greater))
        #expect(test.nonZeroPairs == 3)
        // Ranks 1, 2, 3 all positive: 1 of the 2³ sign assignments reaches 6.
        #expect(test.statistic == 6 && test.pValue == 0.125)
    }
}
