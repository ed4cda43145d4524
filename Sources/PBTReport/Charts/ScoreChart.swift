import PBT
import PBTStore

/// Score against step for every member: one line per stretch of a member's weights, a dashed
/// connector from the donor's ready point to the copier's first point after each exploit, and a
/// dot at every member's latest score (larger for the best member).
enum ScoreChart {
    /// Points kept per member for drawing (the data keeps all).
    static let pointsPerMember = 360

    /// The chart as an SVG element.
    static func svg(_ history: ExperimentHistory, tracks: MemberTracks) -> String {
        let scores = history.scores
        let direction = history.settings.mode == .max ? "higher is better" : "lower is better"
        let legend =
            ChartFrame.memberLegend(history.members.count) + [
                .init(label: "exploit: copied", color: "#777", style: .dashed),
                .init(label: "latest score", color: "#777", style: .dot),
            ]
        let frame = ChartFrame(
            title: "Score against step, every member",
            xLabel: "step (training steps of the member's weights)",
            yLabel: "score (\(direction))",
            xValues: scores.map { Double($0.step) }, yValues: scores.map(\.score), legend: legend)
        var svg = ""
        frame.open(&svg, label: "Score against step for \(history.members.count) members of \(history.experiment.name)")
        let best = history.best?.slot
        for member in tracks.segments.indices {
            let color = Palette.color(member)
            let total = max(1, tracks.segments[member].reduce(0) { $0 + $1.points.count })
            var lines = PathData(), jumps = PathData()
            for segment in tracks.segments[member] {
                let raw = segment.points.compactMap { index -> (x: Double, y: Double)? in
                    let score = scores[index]
                    guard score.score.isFinite else { return nil }
                    return (frame.x(Double(score.step)), frame.y(score.score))
                }
                let share = max(3, pointsPerMember * raw.count / total + 2)
                let points = decimate(raw, threshold: share)
                if let parent = segment.parent, scores[parent].score.isFinite, let first = points.first {
                    jumps.move(frame.x(Double(scores[parent].step)), frame.y(scores[parent].score))
                    jumps.line(first.x, first.y)
                }
                guard let first = points.first else { continue }
                lines.move(first.x, first.y)
                if points.count == 1 { lines.line(first.x + 0.5, first.y) }
                for point in points.dropFirst() { lines.line(point.x, point.y) }
            }
            svg += "<g class=\"member member-\(member)\" stroke=\"\(color)\">"
            if !jumps.isEmpty { svg += "<path class=\"exploit\" d=\"\(jumps.text)\"/>" }
            if !lines.isEmpty { svg += "<path class=\"series\" d=\"\(lines.text)\"/>" }
            svg += "</g>"
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
        frame.close(&svg)
        return svg
    }
}
