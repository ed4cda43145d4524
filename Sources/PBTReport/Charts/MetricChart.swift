import PBT
import PBTStore

/// One metric against step for every member, drawn like the score (`MemberSeries`): the
/// numbers a trainable reports beside its score, such as a training loss or a test accuracy.
enum MetricChart {
    /// Points kept per member for drawing (the data keeps all).
    static let pointsPerMember = 300

    /// The chart of metric `name` as an SVG element.
    static func svg(_ history: ExperimentHistory, tracks: MemberTracks, name: String) -> String {
        let scores = history.scores
        let reported = scores.filter { $0.metrics[name] != nil }
        let frame = ChartFrame(
            title: "\(name) against step", xLabel: "step (training steps of the member's weights)", yLabel: name,
            height: 320, xValues: reported.map { Double($0.step) }, yValues: reported.compactMap { $0.metrics[name] },
            legend: ChartFrame.memberLegend(history.members.count) + [.init(label: "exploit: copied", color: "#777", style: .dashed)])
        var svg = ""
        frame.open(&svg, label: "\(name) against step for \(history.members.count) members")
        svg += MemberSeries.svg(scores, tracks: tracks, frame: frame, pointsPerMember: pointsPerMember) { $0.metrics[name] }
        frame.close(&svg)
        return svg
    }

    /// Every metric name reported with any score, sorted.
    static func names(_ history: ExperimentHistory) -> [String] {
        Set(history.scores.flatMap(\.metrics.values.keys)).sorted()
    }
}
