import Testing

@testable import PBT

@Suite("Mann-Whitney U against scipy.stats.mannwhitneyu (scipy 1.17, two-sided, default method)")
struct MannWhitneyUTests {
    // (a, b, scipy statistic, scipy p-value)
    static let cases: [([Double], [Double], Double, Double)] = [
        ([1, 2, 3, 4, 5], [6, 7, 8, 9, 10], 0.0, 0.007936507936507936),
        ([0.91, 0.95, 0.97, 0.93, 0.96], [0.90, 0.92, 0.94, 0.89, 0.88], 22.0, 0.05555555555555555),
        ([1, 2, 2, 3, 4], [2, 3, 3, 5, 6], 6.0, 0.19882894401644247),
        ([0.5, 0.6], [0.1, 0.2, 0.3], 6.0, 0.2),
        (
            [
                0.1257302210933933, -0.1321048632913019, 0.6404226504432821, 0.10490011715303971, -0.535669373161111,
                0.36159505490948474, 1.3040000451301372, 0.9470809631292422, -0.7037352358069926, -1.2654214710460525,
                -0.6232744625373522, 0.0413259793472436,
            ],
            [
                -1.8250307746388343, 0.28120833606745427, -0.7459109472530652, -0.2322673547034516,
                -0.04425898285730989,
                0.18369984363084546, 0.9116305363741328, 1.5425133694426776, 0.37146533705596574, 1.8664634705496859,
                -0.16519467348661354, 0.8515100700930197, 1.4034701816518087, 0.5940122977608746, -0.2434992493538084,
            ],
            72.0, 0.3931534376740029
        ),
        ([1, 1, 1, 1, 1], [1, 1, 1, 1, 1], 12.5, 1.0),
        ([1, 1, 1, 1, 1, 2, 2, 2, 2, 2], [1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2], 42.5, 0.3156243007353211),
    ]

    @Test("statistic and p-value agree with scipy to 1e-12", arguments: cases.indices)
    func matchesScipy(index: Int) throws {
        let (a, b, statistic, p) = Self.cases[index]
        let test = try #require(MannWhitneyU(a, b))
        #expect(test.statistic == statistic)
        #expect(abs(test.pValue - p) <= 1e-12 * max(p, 1e-300), "p \(test.pValue) vs scipy \(p)")
    }

    @Test("empty samples and NaN give nil")
    func degenerate() {
        #expect(MannWhitneyU([], [1]) == nil)
        #expect(MannWhitneyU([.nan, 1], [1]) == nil)
    }
}
