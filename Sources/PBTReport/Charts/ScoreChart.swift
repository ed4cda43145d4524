import PBT
import PBTStore

/// Score against step (or time) for every member: one line per stretch of a member's weights,
/// a dashed connector from the donor's ready point to the copier's first point after each
/// exploit, a dot at every member's latest score (larger for the best member), and the
/// population's best score so far (each member's too, when asked); a marker counts the scores
/// not drawn where they lie.
enum ScoreChart {
    /// Points kept per member for drawing (the data keeps all).
    static let pointsPerMember = 360

    /// The chart as an SVG element.
    /// - Parameters:
    ///   - options: `fullScoreRange` spans every finite score; otherwise the axis is fitted to
    ///     the scores that matter (see `fittedRange`), the others are drawn at its edge and
    ///     counted in a marker under the plot. `xAxis` chooses step or time (see `ChartXAxis`);
    ///     `memberBestSoFar` adds each member's best so far.
    static func svg(_ history: ExperimentHistory, tracks: MemberTracks, options: ChartOptions = .init()) -> String {
        let scores = history.scores
        let mode = history.settings.mode
        let x = ChartXAxis(history, kind: options.xAxis)
        let direction = mode == .max ? "higher is better" : "lower is better"
        var legend =
            ChartFrame.memberLegend(history.members.count) + [
                .init(label: "exploit: copied", color: "#777", style: .dashed),
                .init(label: "latest score", color: "#777", style: .dot),
                .init(label: "best so far", color: "#111", style: .thick),
            ]
        if options.memberBestSoFar { legend.append(.init(label: "member's best", color: "#777", style: .dotted)) }
        let range = options.fullScoreRange ? nil : fittedRange(scores, mode: mode)
        let frame = ChartFrame(
            title: "Score against \(x.isTime ? "time" : "step"), every member", xLabel: x.label,
            yLabel: "score (\(direction))",
            xValues: scores.map(x.value), yValues: range ?? scores.map(\.score), legend: legend)
        var svg = ""
        let against = x.isTime ? "time" : "step"
        frame.open(
            &svg, label: "Score against \(against) for \(history.members.count) members of \(history.experiment.name)")
        let best = history.best?.slot
        svg += MemberSeries.svg(scores, tracks: tracks, frame: frame, x: x, pointsPerMember: pointsPerMember) {
            $0.score.isFinite ? $0.score : nil
        }
        for record in history.members {
            guard let score = record.score, score.isFinite,
                let last = tracks.segments[record.slot].last?.points.last
                    ?? tracks.segments[record.slot].dropLast().last?.points.last
            else { continue }
            let radius = record.slot == best ? 5.5 : 3.2
            svg +=
                """
                <circle class=\"point member-\(record.slot)\" cx=\"\(Format.pixel(frame.x(x.value(scores[last]))))\" \
                cy=\"\(Format.pixel(frame.y(score)))\" r=\"\(radius)\" fill=\"\(Palette.color(record.slot))\">
                """
            svg +=
                "<title>member \(record.slot): \(Format.number(score)) at \(x.describe(scores[last]))</title></circle>"
        }
        if options.memberBestSoFar {
            for member in history.members.indices {
                let line = stepPath(
                    bestSoFar(scores.filter { $0.member == member }, mode: mode, x: x.value), frame: frame,
                    extend: false)
                if !line.isEmpty {
                    svg +=
                        """
                        <path class=\"member-best member-\(member)\" stroke=\"\(Palette.color(member))\" \
                        d=\"\(line.text)\"><title>member \(member)'s best score so far</title></path>
                        """
                }
            }
        }
        let line = stepPath(bestSoFar(scores, mode: mode, x: x.value), frame: frame, extend: true)
        if !line.isEmpty {
            svg +=
                """
                <path class=\"best-so-far\" d=\"\(line.text)\"><title>the population's best score so far</title></path>
                """
        }
        frame.close(&svg, extra: marker(scores, range: range, frame: frame))
        return svg
    }

    /// The text above the plot's right end counting the scores not drawn where they lie: outside the fitted
    /// range (drawn at its edge) and non-finite (a diverged member's −∞ or NaN: not drawn).
    /// Empty when every score is drawn where it lies.
    static func marker(_ scores: [ScoreRecord], range: [Double]?, frame: ChartFrame) -> String {
        let nonFinite = scores.filter { !$0.score.isFinite }.count
        let outside =
            range.map { range in
                scores.filter { $0.score.isFinite && ($0.score < range[0] || $0.score > range[1]) }.count
            } ?? 0
        var parts: [String] = []
        if outside > 0 {
            parts.append("▼ \(outside) score\(outside == 1 ? "" : "s") outside the axis, drawn at its edge")
        }
        if nonFinite > 0 {
            parts.append("\(nonFinite) non-finite score\(nonFinite == 1 ? "" : "s") (diverged) not drawn")
        }
        guard !parts.isEmpty else { return "" }
        let text = parts.joined(separator: "; ")
        return
            """
            <text class=\"clipped\" x=\"\(Format.pixel(frame.x.to))\" y=\"36\" \
            text-anchor=\"end\">\(text.htmlEscaped)</text>
            """
    }

    /// A step line through best-so-far points: flat until the next improvement, then up (or
    /// down); `extend` carries the last value to the axis's end.
    private static func stepPath(
        _ improvements: [(step: Double, score: Double)], frame: ChartFrame, extend: Bool
    ) -> PathData {
        var line = PathData()
        guard let first = improvements.first, let last = improvements.last else { return line }
        line.move(frame.x(first.step), frame.y(first.score))
        for (previous, point) in zip(improvements, improvements.dropFirst()) {
            line.line(frame.x(point.step), frame.y(previous.score))
            line.line(frame.x(point.step), frame.y(point.score))
        }
        if extend { line.line(frame.x(frame.x.upper), frame.y(last.score)) }
        if improvements.count == 1, !extend { line.line(frame.x(first.step) + 0.5, frame.y(first.score)) }
        return line
    }

    /// The score axis that shows what matters: from the 5th percentile of the scores recorded
    /// in the second half of the steps (the 95th in `min` mode) to the best score. Early scores
    /// (an untrained network's accuracy of 0.1 beside a final 0.97) would otherwise squash the
    /// interesting range. Nil, meaning every score, when fewer than 20 scores are finite or
    /// the fitted range would drop nothing; else the range's two ends, lower first.
    static func fittedRange(_ scores: [ScoreRecord], mode: ScoreMode) -> [Double]? {
        let finite = scores.filter(\.score.isFinite)
        guard finite.count >= 20, let last = finite.map(\.step).max() else { return nil }
        let late = finite.filter { 2 * $0.step >= last }.map { mode.fitness($0.score) }.sorted()
        let all = finite.map { mode.fitness($0.score) }
        guard !late.isEmpty, let top = all.max(), let bottom = all.min() else { return nil }
        let floor = late[late.count / 20]
        guard floor > bottom, floor < top else { return nil }
        return [mode.fitness(floor), mode.fitness(top)].sorted()
    }

    /// The best of `scores` up to each x where it improved, by x (the population's when given
    /// every score, a member's when given its own). Non-finite scores never count.
    /// - Parameter x: where a score lies on the x axis (default: its step).
    static func bestSoFar(
        _ scores: [ScoreRecord], mode: ScoreMode, x: (ScoreRecord) -> Double = { Double($0.step) }
    ) -> [(step: Double, score: Double)] {
        var result: [(step: Double, score: Double)] = []
        let placed = scores.filter(\.score.isFinite).map { (x: x($0), score: $0.score) }
        for point in placed.sorted(by: { $0.x < $1.x }) {
            if let best = result.last, mode.fitness(point.score) <= mode.fitness(best.score) { continue }
            if let best = result.last, best.step == point.x { result.removeLast() }
            result.append((point.x, point.score))
        }
        return result
    }
}
