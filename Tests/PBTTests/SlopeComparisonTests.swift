import Testing

@testable import PBT

@Suite("Slope comparison")
struct SlopeComparisonTests {
    /// From `python3 scripts/slope_reference.py` (scipy.stats.linregress and t.sf).
    static let cases: [([Double], [Double], slopes: (Double, Double), t: Double, p: Double)] = [
        (
            [0.31, 0.22, 0.18, 0.15, 0.12, 0.11], [0.07, 0.071, 0.069, 0.072, 0.074, 0.073],
            slopes: (-0.038000000000000006, 0.0007714285714285698), t: -6.336879510227121, p: 0.003117642902014382
        ),
        (
            [1.0, 2.0, 2.5, 4.5], [0.0, 0.5, 0.4, 0.9, 1.2],
            slopes: (1.1, 0.27999999999999997), t: 3.7610985832060684, p: 0.054005597406252014
        ),
    ]

    @Test("slopes, statistic and p-value agree with scipy", arguments: 0..<2)
    func agreesWithScipy(index: Int) throws {
        let reference = Self.cases[index]
        let comparison = try #require(SlopeComparison(reference.0, reference.1))
        #expect(abs(comparison.first - reference.slopes.0) <= 1e-12)
        #expect(abs(comparison.second - reference.slopes.1) <= 1e-12)
        #expect(abs(comparison.statistic - reference.t) <= 1e-9 * abs(reference.t))
        #expect(abs(comparison.pValue - reference.p) <= 1e-9 * reference.p)
    }

    @Test("fewer than three values or a non-finite one: no comparison")
    func refusesShortOrNonFinite() {
        #expect(SlopeComparison([1, 2], [1, 2, 3]) == nil)
        #expect(SlopeComparison([1, 2, 3], [1, .nan, 3]) == nil)
        #expect(SlopeComparison([1, 2, .infinity], [1, 2, 3]) == nil)
    }

    @Test("exact lines: a different slope is certain, an equal one is not")
    func exactLines() throws {
        let steeper = try #require(SlopeComparison([0, 2, 4], [1, 2, 3]))
        #expect(steeper.statistic == .infinity)
        #expect(steeper.pValue == 0)
        let equal = try #require(SlopeComparison([0, 1, 2], [5, 6, 7]))
        #expect(equal.statistic == 0)
        #expect(equal.pValue == 1)
    }
}
