import Foundation
import PBT
import PBTReport
import PBTRuntime
import PBTStore
import Testing

@testable import PBTReport

/// The score chart reads well: an axis fitted to the scores that matter, the population's best
/// so far, and choices on a categorical axis.
@Suite("Score axis, best so far, categorical choices")
struct ScoreAxisTests {
    /// Accuracy-like scores: 0.1 at first, then 0.95...0.98 for the rest of 40 ready points.
    private func accuracies(mode: ScoreMode = .max) -> [ScoreRecord] {
        (1...40).map { index in
            let accuracy = index <= 3 ? 0.1 : 0.95 + 0.03 * Double(index) / 40
            let score = mode == .max ? accuracy : 1 - accuracy
            return ScoreRecord(member: index % 4, step: 10 * index, score: score, hyperparameters: Hyperparameters([:]))
        }
    }

    @Test("the axis spans the later scores, not the untrained ones (0.95-0.98, not 0.1-1)")
    func fitted() throws {
        let range = try #require(ScoreChart.fittedRange(accuracies(), mode: .max))
        #expect(range[0] > 0.95 && range[0] < 0.97 && range[1] == 0.98)
        let loss = try #require(ScoreChart.fittedRange(accuracies(mode: .min), mode: .min))
        #expect(abs(loss[0] - 0.02) < 1e-12 && loss[1] > 0.03 && loss[1] < 0.05)
        #expect(ScoreChart.fittedRange(Array(accuracies().prefix(19)), mode: .max) == nil, "few scores: all shown")
        let flat = (1...30).map { ScoreRecord(member: 0, step: $0, score: 1, hyperparameters: Hyperparameters([:])) }
        #expect(ScoreChart.fittedRange(flat, mode: .max) == nil, "nothing to drop: all shown")
    }

    @Test("best so far improves only, one point per step")
    func bestSoFar() {
        let scores = [(0, 10, 0.5), (1, 10, 0.7), (0, 20, 0.6), (1, 20, 0.9), (0, 30, 0.8)].map {
            ScoreRecord(member: $0.0, step: $0.1, score: $0.2, hyperparameters: Hyperparameters([:]))
        }
        #expect(ScoreChart.bestSoFar(scores, mode: .max).map(\.score) == [0.7, 0.9])
        #expect(ScoreChart.bestSoFar(scores, mode: .max).map(\.step) == [10, 20])
        #expect(ScoreChart.bestSoFar(scores, mode: .min).map(\.score) == [0.5])
    }

    @Test("a report draws the best-so-far line and says when the axis is fitted; --full-range spans all")
    func report() async throws {
        let history = try await run(try quadratic(steps: 120), in: InMemoryStore())
        let fitted = HTMLReport(history: history).body()
        #expect(fitted.contains("class=\"best-so-far\""))
        let full = HTMLReport(history: history, options: ChartOptions(fullScoreRange: true)).body()
        #expect(!full.contains("The score axis is fitted"))
        #expect(
            fitted.contains("The score axis is fitted") == (ScoreChart.fittedRange(history.scores, mode: .max) != nil))
    }

    @Test("an ordered numeric choice (batch sizes) is drawn on a categorical axis, evenly spaced")
    func orderedChoice() async throws {
        var config = try quadratic(name: "choice")
        config.hyperparameters["h1"] = .choice([0.125, 0.25, 0.5, 1].map { .number($0) }, ordered: true)
        let history = try await run(config, in: InMemoryStore())
        let html = HTMLReport(history: history).body()
        let h1 = try #require(
            html.components(separatedBy: "<svg class=\"chart\"").first { $0.contains("h1 against step") })
        for tick in [">0.125<", ">0.25<", ">0.5<", ">1<"] { #expect(h1.contains(tick), "missing tick \(tick)") }
        #expect(!h1.contains(">0.4<"), "no numeric ticks between the choices")
    }
}
