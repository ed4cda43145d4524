import PBT
import PBTStore

/// The lineage tree (the PBT paper's phylogenetic figure): one lane per member, step along x.
/// Each stretch of weights is a horizontal line in its member's lane; an exploit is a vertical
/// connector at the donor's step from the donor's lane to the copier's. Stretches whose weights
/// survive in the final population are coloured, extinct ones grey; the best member's
/// ancestry is drawn thick.
enum LineageChart {
    /// The chart as an SVG element.
    static func svg(_ history: ExperimentHistory, tracks: MemberTracks) -> String {
        let count = history.members.count
        let scores = history.scores
        let lane = min(26, max(9, 440 / Double(max(1, count))))
        let height = 44 + 54 + lane * Double(max(1, count))
        let legend: [ChartFrame.LegendEntry] = [
            .init(label: "surviving", color: Palette.color(0), style: .line),
            .init(label: "extinct", color: "#c8c8c8", style: .line),
            .init(label: "best's ancestry", color: Palette.emphasis, style: .thick),
            .init(label: "copy (exploit)", color: "#555", style: .dot),
        ]
        var frame = ChartFrame(
            title: "Lineage: who copied whom, and at which step",
            xLabel: "step (training steps of the member's weights)", yLabel: "member (slot)",
            height: height, xValues: scores.map { Double($0.step) } + history.members.map { Double($0.step) },
            yValues: [0, Double(max(0, count - 1))], yPadding: count > 1 ? 0.5 / Double(count - 1) : 0.5,
            legend: legend)
        frame.yCategories = count <= 40 ? (0..<count).map { "\($0)" } : []
        var svg = ""
        frame.open(&svg, label: "Lineage tree of \(history.experiment.name)")
        let ancestry = bestAncestry(history, tracks: tracks)
        var extinct = PathData(), extinctCopies = PathData(), thick = PathData()
        var copies = ""
        for member in tracks.segments.indices {
            var alive = PathData(), aliveCopies = PathData()
            for (index, segment) in tracks.segments[member].enumerated() {
                let end = segment.points.last.map { scores[$0].step } ?? segment.start
                let y = frame.y(Double(member)), x0 = frame.x(Double(segment.start)),
                    x1 = frame.x(Double(max(end, segment.start)))
                if segment.alive {
                    alive.move(x0, y)
                    alive.line(max(x1, x0 + 1), y)
                } else {
                    extinct.move(x0, y)
                    extinct.line(max(x1, x0 + 1), y)
                }
                if let until = ancestry[SegmentID(member: member, index: index)] {
                    thick.move(x0, y)
                    thick.line(max(frame.x(Double(until)), x0 + 1), y)
                }
                guard let donor = segment.donor else { continue }
                let donorY = frame.y(Double(donor))
                if segment.alive {
                    aliveCopies.move(x0, donorY)
                    aliveCopies.line(x0, y)
                    copies += "<circle cx=\"\(Format.pixel(x0))\" cy=\"\(Format.pixel(donorY))\" r=\"2.2\"/>"
                } else {
                    extinctCopies.move(x0, donorY)
                    extinctCopies.line(x0, y)
                }
                if ancestry[SegmentID(member: member, index: index)] != nil {
                    thick.move(x0, donorY)
                    thick.line(x0, y)
                }
            }
            svg += "<g class=\"member member-\(member)\" stroke=\"\(Palette.color(member))\">"
            if !aliveCopies.isEmpty { svg += "<path class=\"copy\" d=\"\(aliveCopies.text)\"/>" }
            if !alive.isEmpty { svg += "<path class=\"lane\" d=\"\(alive.text)\"/>" }
            svg += "</g>"
        }
        let background =
            (extinct.isEmpty ? "" : "<path class=\"extinct\" d=\"\(extinct.text)\"/>")
            + (extinctCopies.isEmpty ? "" : "<path class=\"extinct copy\" d=\"\(extinctCopies.text)\"/>")
        if let marker = svg.range(of: "<g class=\"member ") {
            svg.insert(contentsOf: background, at: marker.lowerBound)
        }
        if !thick.isEmpty { svg += "<path class=\"schedule\" d=\"\(thick.text)\"/>" }
        svg += "<g class=\"copies\">\(copies)</g>"
        frame.close(&svg)
        return svg
    }

    /// A stretch: member and position among the member's stretches.
    struct SegmentID: Hashable {
        var member: Int
        var index: Int
    }

    /// The stretches the best member's weights descend from, each with the step up to which
    /// it is an ancestor (where the next stretch on the chain copied it).
    static func bestAncestry(_ history: ExperimentHistory, tracks: MemberTracks) -> [SegmentID: Int] {
        guard let best = history.best, let last = tracks.segments[best.slot].indices.last else { return [:] }
        var result: [SegmentID: Int] = [:]
        var current = SegmentID(member: best.slot, index: last)
        var until = best.step
        while result[current] == nil {
            result[current] = until
            guard let parent = tracks.segments[current.member][current.index].parent else { break }
            until = history.scores[parent].step
            current = SegmentID(member: history.scores[parent].member, index: tracks.segmentOfScore[parent])
        }
        return result
    }
}
