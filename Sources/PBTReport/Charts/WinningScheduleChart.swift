import PBT

/// The learned schedule of a comparison's winning PBT member (the best member of the best PBT
/// run): one chart per tuned hyperparameter, its value against step along the member's
/// lineage (its own history joined with its donors'), a log axis for log-uniform domains. The
/// axis spans the domain, so the y label names only the hyperparameter: with the domain it was
/// longer than the chart is high.
enum WinningScheduleChart {
    /// One SVG element per tuned hyperparameter; empty when the run has no best member.
    static func svgs(_ winner: ExperimentHistory) -> [String] {
        guard let best = winner.best else { return [] }
        let entries = winner.schedule(of: best.slot)
        return winner.tunedHyperparameterNames.map { name in
            let axis = ValueAxis(winner, name: name)
            let log = axis.logarithmic ? " (log scale)" : ""
            var frame = ChartFrame(
                title: "\(name) along the winning schedule\(log) — member \(best.slot) of \(winner.experiment.name)",
                xLabel: "step (training steps of the member's weights)", yLabel: "\(name)\(log)",
                height: 240, xValues: [Double(best.step)] + entries.map { Double($0.step) }, yValues: axis.extent,
                yLogarithmic: axis.logarithmic, yPadding: axis.categories.isEmpty ? 0.04 : 0.12,
                legend: [.init(label: "winning schedule", color: Palette.emphasis, style: .thick)])
            frame.yCategories = axis.categories
            var svg = ""
            frame.open(&svg, label: "\(name) against step along the winning PBT member's schedule")
            let path = ScheduleLine.path(entries, end: best.step, name: name, axis: axis, frame: frame)
            if !path.isEmpty {
                svg +=
                    "<path class=\"schedule winning\" data-hyperparameter=\"\(name.htmlEscaped)\" d=\"\(path.text)\">"
                svg += "<title>\(name.htmlEscaped) in member \(best.slot)'s schedule</title></path>"
            }
            frame.close(&svg)
            return svg
        }
    }
}
