import Testing

@testable import pbt

/// `pbt bench pb2 --quality`'s machinery: the two settings decide on the same histories from
/// the same generators, and the table counts every pair.
@Suite("PB2 suggestion quality benchmark")
struct PB2SuggestionQualityTests {
    @Test("a setting against itself ties on every history; two settings are paired history by history")
    func pairing() throws {
        let same = try PB2SuggestionQuality.compare(
            candidateFitRows: 100, baselineFitRows: 100, histories: 3, lengths: [300], trustRegions: [1])
        #expect(same.map(\.scenario) == ["stationary", "drifting"])
        for row in same {
            #expect(row.ties == 3 && row.wins == 0 && row.losses == 0 && row.candidate.rate == row.baseline.rate)
            #expect(row.pValue == 1, "no pair differs")
        }
        let table = try PB2SuggestionQuality.compare(
            candidateFitRows: 20, baselineFitRows: 200, histories: 3, lengths: [300], trustRegions: [0.1, 1])
        #expect(table.count == 4)
        for row in table {
            #expect(row.wins + row.ties + row.losses == 3 && row.rows == 300)
            // Rates lie between the worst corner of the domains and the optimum, 1.
            #expect(row.candidate.rate <= 1 && row.baseline.rate <= 1 && row.candidate.rate > -2)
        }
        // 300 records give over 200 observations, so the fit is on the newest 20 or 200 of them.
        #expect(table.contains { $0.candidate.rate != $0.baseline.rate }, "20 rows and 200 fit different kernels")
    }
}
