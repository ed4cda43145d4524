import Foundation
import PBT

/// How good PB2's suggestions are with one setting against another, on synthetic histories
/// whose best configuration is known: the evidence behind `PB2.fitRows`.
///
/// Each history is `PB2Benchmark.syntheticHistory` with the rate
/// `1 − |momentum − m*| − 0.3 · |log₁₀ lr − l*|` (batch size and dropout do not matter). In the
/// stationary scenario `m* = 0.8`, `l* = −3`; in the drifting one the best configuration moves
/// over the history, `m*` from 0.5 to 0.9 and `l*` from −2 to −4.5, so old rows mislead. The
/// last record's member decides; a suggestion scores the true rate of its configuration at the
/// end of the history. Both settings decide on the same history from the same generator.
enum PB2SuggestionQuality {
    /// One comparison: the mean true rate of each setting's suggestions, wins, ties and
    /// losses of `candidate` against `baseline`, the two-sided Wilcoxon signed-rank p-value,
    /// and each setting's median milliseconds per decision.
    struct Row {
        var scenario: String
        var rows: Int
        var trustRegion: Double
        var candidate: (rate: Double, milliseconds: Double)
        var baseline: (rate: Double, milliseconds: Double)
        var wins: Int
        var ties: Int
        var losses: Int
        var pValue: Double
    }

    /// The true rate of `h` at `progress` through a history.
    static func rate(_ h: Hyperparameters, progress: Double, drifting: Bool) -> Double {
        let momentum = drifting ? 0.5 + 0.4 * progress : 0.8
        let logRate = drifting ? -2 - 2.5 * progress : -3
        return 1 - abs(h.number("momentum")! - momentum) - 0.3 * abs(log10(h.number("lr")!) - logRate)
    }

    /// Compares PB2 fitted on `candidateFitRows` with PB2 fitted on `baselineFitRows` over
    /// `histories` histories of each scenario, history length and trust region.
    static func compare(
        candidateFitRows: Int, baselineFitRows: Int, histories: Int, lengths: [Int] = [300, 1000],
        trustRegions: [Double] = [0.1, 1]
    ) throws -> [Row] {
        let space = try SearchSpace(PB2Benchmark.syntheticDomains)
        var table: [Row] = []
        for drifting in [false, true] {
            for length in lengths {
                for region in trustRegions {
                    let settings = try [candidateFitRows, baselineFitRows].map {
                        try PB2(space: space, fitRows: $0, trustRegion: region)
                    }
                    try table.append(
                        row(settings, space: space, histories: histories, length: length, drifting: drifting))
                }
            }
        }
        return table
    }

    /// One row: `settings[0]` (the candidate) against `settings[1]` on `histories` histories.
    private static func row(
        _ settings: [PB2], space: SearchSpace, histories: Int, length: Int, drifting: Bool
    ) throws -> Row {
        var rates: [[Double]] = [[], []], times: [[Double]] = [[], []]
        for index in 0..<histories {
            let history = PB2Benchmark.syntheticHistory(
                space: space, rows: length, members: 8, seed: UInt64(1000 + index)
            ) { rate($0, progress: $1, drifting: drifting) }
            for (setting, pb2) in settings.enumerated() {
                let (rate, milliseconds) = try decide(pb2, history, seed: UInt64(index), drifting: drifting)
                rates[setting].append(rate)
                times[setting].append(milliseconds)
            }
        }
        let differences = zip(rates[0], rates[1]).map { $0 - $1 }
        let mean = rates.map { SampleSummary($0)?.mean ?? .nan }
        let median = times.map { SampleSummary($0)?.median ?? .nan }
        return Row(
            scenario: drifting ? "drifting" : "stationary", rows: length, trustRegion: settings[0].trustRegion,
            candidate: (mean[0], median[0]), baseline: (mean[1], median[1]),
            wins: differences.filter { $0 > 0 }.count, ties: differences.filter { $0 == 0 }.count,
            losses: differences.filter { $0 < 0 }.count,
            pValue: WilcoxonSignedRank(rates[0], rates[1])?.pValue ?? .nan)
    }

    /// The true rate of the suggestion for the history's last member, and its milliseconds.
    private static func decide(
        _ pb2: PB2, _ history: [PB2Record], seed: UInt64, drifting: Bool
    ) throws -> (rate: Double, milliseconds: Double) {
        let last = history[history.count - 1]
        var generator = PBTRandom(seed: seed)
        let clock = ContinuousClock()
        let start = clock.now
        let suggestion = try pb2.suggest(
            history: history, step: last.step, score: last.score, around: last.hyperparameters, using: &generator)
        let milliseconds = EngineBenchmark.microseconds(clock.now - start) / 1000
        return (rate(suggestion.hyperparameters, progress: 1, drifting: drifting), milliseconds)
    }
}
