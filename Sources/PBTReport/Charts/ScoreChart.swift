import PBT
import PBTStore

/// Score against step for every member: one line per stretch of a member's weights, a dashed
/// connector from the donor's ready point to the copier's first point after each exploit, a
/// dot at every member's latest score (larger for the best member), and the population's best
/// score so far.
enum ScoreChart {
    /// Points kept per member for drawing (the data keeps all).
    static let pointsPerMember = 360

    /// The chart as an SVG element.
    /// - Parameter fullRange: the score axis spans every score; otherwise it is fitted to the
    ///   scores that matter (see `fittedRange`) and the others are drawn at its edge.
    static func svg(_ history: ExperimentHistory, tracks: MemberTracks, fullRange: Bool = false) -> String {
        let scores = history.scores
        let direction = history.settings.mode == .max ? "higher is better" : "lower is better"
        let legend =
            ChartFrame.memberLegend(history.members.count) + [
                .init(label: "exploit: copied", color: "#777", style: .dashed),
                .init(label: "latest score", color: "#777", style: .dot),
                .init(label: "best so far", color: "#111", style: .thick),
            ]
        let range = fullRange ? nil : fittedRange(scores, mode: history.settings.mode)
        let frame = ChartFrame(
            title: "Score against step, every member",
            xLabel: "step (training steps of the member's weights)",
            yLabel: "score (\(direction))",
            xValues: scores.map { Double($0.step) }, yValues: range ?? scores.map(\.score), legend: legend)
        var svg = ""
        frame.open(&svg, label: "Score against step for \(history.members.count) members of \(history.experiment.name)")
        let best = history.best?.slot
        svg += MemberSeries.svg(scores, tracks: tracks, frame: frame, pointsPerMember: pointsPerMember) {
            $0.score.isFinite ? $0.score : nil
        }
        for record in history.members {
            guard let score = record.score, score.isFinite,
                let last = tracks.segments[record.slot].last?.points.last ?? tracks.segments[record.slot].dropLast().last?.points.last
            else { continue }
            let step = scores[last].step
            let radius = record.slot == best ? 5.5 : 3.2
            svg += "<circle class=\"point member-\(record.slot)\" cx=\"\(Format.pixel(frame.x(Double(step))))\" cy=\"\(Format.pixel(frame.y(score)))\" r=\"\(radius)\" fill=\"\(Palette.color(record.slot))\">"
            svg += "<title>member \(record.slot): \(Format.number(score)) at step \(step)</title></circle>"
        }
        let improvements = bestSoFar(scores, mode: history.settings.mode)
        if let first = improvements.first, let last = improvements.last {
            var line = PathData()
            line.move(frame.x(first.step), frame.y(first.score))
            for (previous, point) in zip(improvements, improvements.dropFirst()) {
                line.line(frame.x(point.step), frame.y(previous.score))
                line.line(frame.x(point.step), frame.y(point.score))
            }
            line.line(frame.x(frame.x.upper), frame.y(last.score))
            svg += "<path class=\"best-so-far\" d=\"\(line.text)\"><title>the population's best score so far</title></path>"
        }
        frame.close(&svg)
        return svg
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

    /// The population's best score at each step where it improved, by step.
    static func bestSoFar(_ scores: [ScoreRecord], mode: ScoreMode) -> [(step: Double, score: Double)] {
        var result: [(step: Double, score: Double)] = []
        for score in scores.filter(\.score.isFinite).sorted(by: { $0.step < $1.step }) {
            if let best = result.last, mode.fitness(score.score) <= mode.fitness(best.score) { continue }
            if let best = result.last, best.step == Double(score.step) { result.removeLast() }
            result.append((Double(score.step), score.score))
        }
        return result
    }
}
