import Foundation
import PBT
import PBTRuntime
import PBTStore
import PBTTestSupport
import Testing

@testable import PBTReport

/// The axes of the score and metric charts: nice ticks, an axis fitted to finite scores with a
/// marker for the rest, best-so-far lines, categorical choices, and wall-clock time.
@Suite("Chart axes: nice ticks, fitted range, best so far, categories, time")
struct ChartAxisTests {
    /// Two members with `values` scores each (member m's i-th at step 10·(i+1)), recorded
    /// `secondsApart` apart from 1,000,000 s when given, else without times.
    private func history(_ values: [[Double]], secondsApart: Double? = nil) -> ExperimentHistory {
        var scores: [ScoreRecord] = []
        for index in 0..<(values.map(\.count).max() ?? 0) {
            for member in values.indices where index < values[member].count {
                let time = secondsApart.map { Date(timeIntervalSince1970: 1_000_000 + $0 * Double(scores.count)) }
                scores.append(
                    ScoreRecord(
                        member: member, step: 10 * (index + 1), score: values[member][index],
                        hyperparameters: Hyperparameters([:]), recordedAt: time))
            }
        }
        let members = values.indices.map {
            MemberRecord(
                slot: $0, step: 10 * values[$0].count, hyperparameters: Hyperparameters([:]), score: values[$0].last)
        }
        return ExperimentHistory(
            experiment: ExperimentRecord(name: "axes", population: values.count, configuration: "{}"), members: members,
            scores: scores, events: [])
    }

    /// Scores like a classifier's accuracy: 0.1 for three ready points, then 0.95...0.98.
    private var accuracies: [Double] {
        (1...20).map { (index: Int) -> Double in
            if index <= 3 { return 0.1 }
            return 0.95 + 0.03 * Double(index - 3) / 17
        }
    }

    /// The y tick labels of an SVG chart, bottom to top, with their pixel rows.
    private func yTicks(_ svg: String) -> [(label: String, y: Double)] {
        let pattern = #/<text class="tick" x="([0-9.]+)" y="([0-9.-]+)" text-anchor="end">([^<]*)</text>/#
        return svg.matches(of: pattern).map { (String($0.output.3), Double(String($0.output.2))!) }
    }

    @Test(
        "nice ticks: 1, 2 or 5 × 10ⁿ apart, inside the axis, covering the data",
        arguments: [
            (0.95, 0.98), (0.0, 1.0), (-3.2, 17.5), (1e-4, 3e-4), (120.0, 12_345.0),
        ])
    func niceTicks(low: Double, high: Double) throws {
        let scale = Scale(covering: [low, high], pixels: (0, 100), padding: 0.04)
        let ticks = scale.ticks(count: 6)
        #expect(ticks.count >= 3 && ticks.count <= 13, "\(ticks)")
        let step = ticks[1] - ticks[0]
        let mantissa = step / pow(10, floor(log10(step)))
        #expect([1.0, 2, 5, 10].contains { abs(mantissa - $0) < 1e-6 }, "step \(step)")
        for (a, b) in zip(ticks, ticks.dropFirst()) { #expect(abs((b - a) - step) < step * 1e-6) }
        #expect(ticks.allSatisfy { $0 >= scale.lower - step * 1e-9 && $0 <= scale.upper + step * 1e-9 })
        #expect(ticks.first! <= low + step && ticks.last! >= high - step, "the ticks span the data")
        #expect(
            scale.lower < low && scale.upper > high && scale.upper - scale.lower < (high - low) * 1.1, "a small margin")
    }

    @Test("0.95-0.98 scores get ticks 0.95, 0.96, 0.97, 0.98, not 0.1-1")
    func fittedTicks() {
        let ticks = Scale(covering: [0.95, 0.98], pixels: (0, 100), padding: 0.04).ticks(count: 6)
        #expect(ticks.count == 4)
        for (tick, expected) in zip(ticks, [0.95, 0.96, 0.97, 0.98]) { #expect(abs(tick - expected) < 1e-9) }
    }

    @Test("-inf, NaN and untrained early scores: the axis fits the finite later scores; a marker counts the rest")
    func nonFinite() throws {
        #expect(Scale(covering: [-.infinity, 0.95, .nan, 0.98], pixels: (0, 100)).lower == 0.95)
        var diverged = accuracies
        diverged[10] = -.infinity
        let history = history([accuracies, diverged])
        let range = try #require(ScoreChart.fittedRange(history.scores, mode: .max))
        #expect(range[0] > 0.95 && range[0] < 0.97 && abs(range[1] - 0.98) < 1e-12)
        let outside = history.scores.filter { $0.score.isFinite && $0.score < range[0] }.count
        #expect(outside >= 6, "at least the untrained scores")
        let svg = ScoreChart.svg(history, tracks: MemberTracks(history))
        let labels = yTicks(svg).map(\.label)
        #expect(labels.contains("0.97") && !labels.contains("0.2") && !labels.contains("0"), "\(labels)")
        #expect(
            svg.contains(
                "▼ \(outside) scores outside the axis, drawn at its edge; 1 non-finite score (diverged) not drawn"))
        let full = ScoreChart.svg(history, tracks: MemberTracks(history), options: ChartOptions(fullScoreRange: true))
        #expect(yTicks(full).map(\.label).contains("0.2") && !full.contains("outside the axis"))
        #expect(full.contains("1 non-finite score (diverged) not drawn"))
    }

    @Test("best so far: the population's and each member's, by step or by time")
    func bestSoFar() {
        let history = history([[0.5, 0.4, 0.8, 0.7], [0.6, 0.9, 0.85, -.infinity]], secondsApart: 30)
        #expect(ScoreChart.bestSoFar(history.scores, mode: .max).map(\.score) == [0.6, 0.9])
        #expect(ScoreChart.bestSoFar(history.scores, mode: .max).map(\.step) == [10, 20])
        #expect(ScoreChart.bestSoFar(history.scores.filter { $0.member == 0 }, mode: .max).map(\.score) == [0.5, 0.8])
        #expect(ScoreChart.bestSoFar(history.scores.filter { $0.member == 0 }, mode: .min).map(\.score) == [0.5, 0.4])
        let x = ChartXAxis(history, kind: .time)
        // 210 s in all: minutes. Member 1's first score is 30 s after the first record, its second 90 s.
        #expect(ScoreChart.bestSoFar(history.scores, mode: .max, x: x.value).map(\.step) == [0, 0.5, 1.5])
        #expect(ScoreChart.bestSoFar(history.scores, mode: .max, x: x.value).map(\.score) == [0.5, 0.6, 0.9])
        let svg = ScoreChart.svg(history, tracks: MemberTracks(history), options: ChartOptions(memberBestSoFar: true))
        #expect(
            occurrences(of: "class=\"member-best ", in: svg) == 2
                && occurrences(of: "class=\"best-so-far\"", in: svg) == 1)
        #expect(!ScoreChart.svg(history, tracks: MemberTracks(history)).contains("member-best"))
    }

    @Test("time axis: elapsed seconds, minutes or hours since the first record")
    func timeAxis() {
        let seconds = history([[0.1, 0.2], [0.3, 0.4]], secondsApart: 10)
        let x = ChartXAxis(seconds, kind: .time)
        #expect(x.isTime && x.fallbackNote == nil && x.label.contains("seconds since the experiment's first record"))
        #expect(seconds.scores.map(x.value) == [0, 10, 20, 30])
        let hours = history([[0.1, 0.2], [0.3, 0.4]], secondsApart: 3600)
        #expect(hours.scores.map(ChartXAxis(hours, kind: .time).value) == [0, 1, 2, 3])
        #expect(ChartXAxis(hours, kind: .time).label.contains("hours"))
        let minutes = history([[0.1, 0.2], [0.3, 0.4]], secondsApart: 120)
        #expect(minutes.scores.map(ChartXAxis(minutes, kind: .time).value) == [0, 2, 4, 6])
        let svg = ScoreChart.svg(minutes, tracks: MemberTracks(minutes), options: ChartOptions(xAxis: .time))
        #expect(svg.contains("Score against time") && svg.contains("minutes since the experiment"))
        #expect(!ChartXAxis(minutes, kind: .step).isTime)
    }

    @Test("time axis falls back to steps, with a note, when scores lack recorded times")
    func timeFallback() {
        var old = history([[0.1, 0.2], [0.3, 0.4]], secondsApart: 10)
        old.scores[2].recordedAt = nil
        let x = ChartXAxis(old, kind: .time)
        #expect(!x.isTime && x.label.hasPrefix("step") && old.scores.map(x.value) == [10, 10, 20, 20])
        #expect(x.fallbackNote?.contains("1 of 4 scores carry no recorded time") == true)
        let body = HTMLReport(history: old, options: ChartOptions(xAxis: .time)).body()
        #expect(body.contains("The x axis is the step, not the time asked for") && body.contains("Score against step"))
        #expect(!HTMLReport(history: old).body().contains("not the time asked for"))
    }

    @Test(
        "a choice (ordered or not) gets one evenly spaced tick per option, in the declared order, bottom up",
        arguments: [true, false])
    func categoricalPositions(ordered: Bool) async throws {
        var config = try quadratic(name: "choice-\(ordered)")
        config.hyperparameters["h1"] = .choice([0.25, 1, 0.125, 0.5].map { .number($0) }, ordered: ordered)
        let history = try await run(config, in: InMemoryStore())
        let axis = ValueAxis(history, name: "h1")
        #expect(axis.categories == ["0.25", "1", "0.125", "0.5"], "declared order, not numeric")
        #expect(axis.value(.number(0.125)) == 2 && axis.value(.number(0.3)) == nil)
        let svg = HyperparameterChart.svg(history, tracks: MemberTracks(history), name: "h1")
        let ticks = yTicks(svg)
        #expect(ticks.map(\.label) == ["0.25", "1", "0.125", "0.5"])
        let gaps = zip(ticks, ticks.dropFirst()).map { $0.y - $1.y }
        #expect(gaps.allSatisfy { $0 > 0 && abs($0 - gaps[0]) < 0.2 }, "evenly spaced, upwards: \(gaps)")
    }
}
