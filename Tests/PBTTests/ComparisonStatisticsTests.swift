import Testing

@testable import PBT

/// `pbt compare`'s statistics against scipy (cases from `scripts/compare_reference.py`).
@Suite("Comparison statistics against scipy.stats.mannwhitneyu (scipy 1.17, default method)")
struct ComparisonStatisticsTests {
    /// Relative agreement required of every p-value.
    static let tolerance = 1e-12

    private func close(_ value: Double, _ reference: Double) -> Bool {
        abs(value - reference) <= Self.tolerance * max(abs(reference), 1e-300)
    }

    @Test("U and the p-value of every alternative agree with scipy", arguments: ComparisonStatisticsCase.all)
    func mannWhitneyU(_ reference: ComparisonStatisticsCase) throws {
        let cases: [(MannWhitneyU.Alternative, Double)] = [
            (.greater, reference.greater), (.less, reference.less), (.twoSided, reference.twoSided),
        ]
        for (alternative, p) in cases {
            let test = try #require(MannWhitneyU(reference.x, reference.y, alternative: alternative))
            #expect(test.statistic == reference.statistic)
            #expect(close(test.pValue, p), "\(alternative) p \(test.pValue) vs scipy \(p)")
        }
    }

    @Test("A12 agrees with the exact pair count and equals U / (n m)", arguments: ComparisonStatisticsCase.all)
    func a12(_ reference: ComparisonStatisticsCase) throws {
        let a12 = try #require(VarghaDelaneyA12(reference.x, reference.y)).value
        #expect(close(a12, reference.a12), "A12 \(a12) vs \(reference.a12)")
        #expect(close(a12, reference.statistic / Double(reference.x.count * reference.y.count)))
    }

    @Test("empty samples and NaN give nil")
    func degenerate() {
        #expect(MannWhitneyU([], [1], alternative: .greater) == nil)
        #expect(VarghaDelaneyA12([1], []) == nil)
        #expect(VarghaDelaneyA12([.nan], [1]) == nil)
        #expect(SampleSummary([]) == nil)
        #expect(SampleSummary([1, .nan]) == nil)
    }

    @Test("summary: median of odd and even counts, mean, extremes")
    func summary() throws {
        let odd = try #require(SampleSummary([3, 1, 2]))
        #expect(odd.median == 2 && odd.mean == 2 && odd.min == 1 && odd.max == 3)
        let even = try #require(SampleSummary([4, 1, 10, 2]))
        #expect(even.median == 3 && even.mean == 4.25 && even.min == 1 && even.max == 10)
    }

    @Test("versus PBT works in fitness terms: mode min makes lower scores the better ones")
    func versusPBT() {
        let pbt: [UInt64: Double] = [1: 0.1, 2: 0.2, 3: 0.5]
        let other: [UInt64: Double] = [1: 0.3, 2: 0.2, 3: 0.4, 4: 0.9]
        let min = VersusPBT(pbt: pbt, other: other, mode: .min)
        #expect((min.wins, min.ties, min.losses) == (1, 1, 1))
        // Fitness -0.1, -0.2, -0.5 against -0.3, -0.2, -0.4, -0.9: 8 wins and 1 tie of 12 pairs.
        #expect(min.a12 == 8.5 / 12)
        #expect(
            min.pValue == MannWhitneyU([-0.1, -0.2, -0.5], [-0.3, -0.2, -0.4, -0.9], alternative: .greater)?.pValue)
        let max = VersusPBT(pbt: pbt, other: other, mode: .max)
        #expect((max.wins, max.ties, max.losses) == (1, 1, 1))
        #expect(max.a12 == 3.5 / 12)
        #expect(VersusPBT(pbt: [:], other: other, mode: .max).pValue == nil)
    }
}
