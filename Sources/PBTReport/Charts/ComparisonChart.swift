import PBT

/// The arms of a comparison against step: for each arm (one colour each) the median over its
/// runs (seeds) of the population's best score at each ready step, drawn as a line, within a
/// band from the smallest to the largest run's value.
enum ComparisonChart {
    /// Points kept per band edge for drawing (the data keeps all).
    static let pointsPerCurve = 400

    /// The chart as an SVG element.
    static func svg(_ comparison: ComparisonRuns) -> String {
        let direction = comparison.mode == .max ? "higher is better" : "lower is better"
        let bands = comparison.arms.map { arm in (arm, ArmBand(comparison.runs(of: arm).map(\.bestByStep))) }
        let frame = ChartFrame(
            title: "Best score against step, median over seeds with min–max band (\(comparison.base))",
            xLabel: "step (training steps of the member's weights)",
            yLabel: "best score in the population (\(direction))",
            xValues: bands.flatMap { $0.1.points.map { Double($0.step) } },
            yValues: bands.flatMap { $0.1.points.flatMap { [$0.low, $0.high] } },
            legend: bands.map { arm, _ in
                .init(
                    label: "\(arm.label) (\(comparison.runs(of: arm).count))", color: Palette.color(arm), style: .line)
            })
        var svg = ""
        frame.open(&svg, label: "Arms of the comparison, best score by step: median over seeds and min–max band")
        // PBT last, so it is drawn on top where arms overlap.
        for (arm, band) in bands.reversed() {
            let points = thinned(band.points)
            guard !points.isEmpty else { continue }
            var area = PathData(), median = PathData()
            for (index, point) in points.enumerated() {
                let x = frame.x(Double(point.step))
                if index == 0 { area.move(x, frame.y(point.high)) } else { area.line(x, frame.y(point.high)) }
                if index == 0 { median.move(x, frame.y(point.median)) } else { median.line(x, frame.y(point.median)) }
            }
            for point in points.reversed() { area.line(frame.x(Double(point.step)), frame.y(point.low)) }
            let color = Palette.color(arm)
            svg += "<g class=\"arm arm-\(arm.rawValue)\" stroke=\"\(color)\">"
            svg +=
                """
                <path class=\"band\" style=\"fill:\(color)\" d=\"\(area.text)Z\"><title>\(arm.label.htmlEscaped): \
                min–max over seeds</title></path>
                """
            svg +=
                """
                <path class=\"median\" d=\"\(median.text)\"><title>\(arm.label.htmlEscaped): \
                median over seeds</title></path>
                """
            svg += "</g>"
        }
        frame.close(&svg)
        return svg
    }

    /// At most `pointsPerCurve` of `points`, evenly spread, the first and last kept.
    private static func thinned(_ points: [ArmBand.Point]) -> [ArmBand.Point] {
        guard points.count > pointsPerCurve else { return points }
        let last = points.count - 1
        return (0..<pointsPerCurve).map { points[$0 * last / (pointsPerCurve - 1)] }
    }
}
