import PBTStore

/// The member lines of a chart of a value recorded with each score (the score, a metric): one
/// line per stretch of a member's weights, decimated to about `pointsPerMember` points per
/// member, and a dashed connector from the donor's ready point to the copier's first point
/// after each exploit.
enum MemberSeries {
    /// The lines as SVG groups, one per member.
    /// - Parameters:
    ///   - x: the x axis (step or time).
    ///   - value: the value to draw of a score record; nil leaves the record out.
    static func svg(
        _ scores: [ScoreRecord], tracks: MemberTracks, frame: ChartFrame, x: ChartXAxis, pointsPerMember: Int,
        value: (ScoreRecord) -> Double?
    ) -> String {
        var svg = ""
        for member in tracks.segments.indices {
            let total = max(1, tracks.segments[member].reduce(0) { $0 + $1.points.count })
            var lines = PathData(), jumps = PathData()
            for segment in tracks.segments[member] {
                let raw = segment.points.compactMap { index -> (x: Double, y: Double)? in
                    value(scores[index]).map { (frame.x(x.value(scores[index])), frame.y($0)) }
                }
                let points = decimate(raw, threshold: max(3, pointsPerMember * raw.count / total + 2))
                if let parent = segment.parent, let from = value(scores[parent]), let first = points.first {
                    jumps.move(frame.x(x.value(scores[parent])), frame.y(from))
                    jumps.line(first.x, first.y)
                }
                guard let first = points.first else { continue }
                lines.move(first.x, first.y)
                if points.count == 1 { lines.line(first.x + 0.5, first.y) }
                for point in points.dropFirst() { lines.line(point.x, point.y) }
            }
            svg += "<g class=\"member member-\(member)\" stroke=\"\(Palette.color(member))\">"
            if !jumps.isEmpty { svg += "<path class=\"exploit\" d=\"\(jumps.text)\"/>" }
            if !lines.isEmpty { svg += "<path class=\"series\" d=\"\(lines.text)\"/>" }
            svg += "</g>"
        }
        return svg
    }
}
