import PBT
import PBTStore

/// One metric against step (or time) for every member, drawn like the score (`MemberSeries`): the
/// numbers a trainable reports beside its score, such as a training loss or a test accuracy.
enum MetricChart {
    /// Points kept per member for drawing (the data keeps all).
    static let pointsPerMember = 300

    /// The chart of metric `name` as an SVG element, against `x`.
    static func svg(_ history: ExperimentHistory, tracks: MemberTracks, name: String, x: ChartXAxis) -> String {
        let scores = history.scores
        let reported = scores.filter { $0.metrics[name] != nil }
        let frame = ChartFrame(
            title: "\(name) against \(x.isTime ? "time" : "step")", xLabel: x.label, yLabel: name,
            height: 320, xValues: reported.map(x.value), yValues: reported.compactMap { $0.metrics[name] },
            legend: ChartFrame.memberLegend(history.members.count) + [
                .init(label: "exploit: copied", color: "#777", style: .dashed)
            ])
        var svg = ""
        frame.open(&svg, label: "\(name) against \(x.isTime ? "time" : "step") for \(history.members.count) members")
        svg += MemberSeries.svg(scores, tracks: tracks, frame: frame, x: x, pointsPerMember: pointsPerMember) {
            $0.metrics[name]
        }
        frame.close(&svg)
        return svg
    }

    /// Every metric name reported with any score, sorted.
    static func names(_ history: ExperimentHistory) -> [String] {
        Set(history.scores.flatMap(\.metrics.values.keys)).sorted()
    }
}
