import PBT
import PBTStore

/// One hyperparameter against step for every member: the value in force while each stretch of
/// weights trained, as a step function; dashed jumps where a member copied a donor (from the
/// donor's value to the value after explore); the best member's schedule drawn thick on top.
/// Log-uniform domains get a log axis; choices a categorical axis.
enum HyperparameterChart {
    /// Points kept per member for drawing (the data keeps all).
    static let pointsPerMember = 300

    /// The chart for `name` as an SVG element.
    static func svg(_ history: ExperimentHistory, tracks: MemberTracks, name: String) -> String {
        let axis = ValueAxis(history, name: name)
        let scores = history.scores
        let legend =
            ChartFrame.memberLegend(history.members.count) + [
                .init(label: "exploit + explore", color: "#777", style: .dashed),
                .init(label: "best's schedule", color: Palette.emphasis, style: .thick),
            ]
        var frame = ChartFrame(
            title: "\(name) against step\(axis.logarithmic ? " (log scale)" : "")",
            xLabel: "step (training steps of the member's weights)",
            yLabel: "\(name)\(axis.logarithmic ? " (log scale)" : "")\(axis.domainText)",
            height: 320, xValues: scores.map { Double($0.step) }, yValues: axis.extent,
            yLogarithmic: axis.logarithmic, yPadding: axis.categories.isEmpty ? 0.04 : 0.12, legend: legend)
        frame.yCategories = axis.categories
        var svg = ""
        frame.open(&svg, label: "\(name) against step for \(history.members.count) members")
        for member in tracks.segments.indices {
            var lines = PathData(), jumps = PathData()
            let total = max(1, tracks.segments[member].reduce(0) { $0 + $1.points.count })
            for segment in tracks.segments[member] {
                var raw: [(x: Double, y: Double)] = []
                for index in segment.points {
                    guard let value = axis.value(scores[index].hyperparameters[name]) else { continue }
                    raw.append((Double(scores[index].step), value))
                }
                let points = decimate(raw, threshold: max(3, pointsPerMember * raw.count / total + 2))
                guard let first = points.first else { continue }
                let start = Double(min(segment.start, scores[segment.points[0]].step))
                if let parent = segment.parent, let donorValue = axis.value(scores[parent].hyperparameters[name]) {
                    jumps.move(frame.x(start), frame.y(donorValue))
                    jumps.line(frame.x(start), frame.y(first.y))
                }
                var currentX = frame.x(start), currentY = first.y
                lines.move(currentX, frame.y(currentY))
                for point in points {
                    if point.y != currentY { lines.line(currentX, frame.y(point.y)) }
                    currentX = frame.x(point.x)
                    currentY = point.y
                    lines.line(currentX, frame.y(currentY))
                }
            }
            svg += "<g class=\"member member-\(member)\" stroke=\"\(Palette.color(member))\">"
            if !jumps.isEmpty { svg += "<path class=\"exploit\" d=\"\(jumps.text)\"/>" }
            if !lines.isEmpty { svg += "<path class=\"series\" d=\"\(lines.text)\"/>" }
            svg += "</g>"
        }
        if let best = history.best {
            let schedule = ScheduleLine.path(
                history.schedule(of: best.slot), end: best.step, name: name, axis: axis, frame: frame)
            if !schedule.isEmpty {
                svg +=
                    """
                    <path class=\"schedule\" d=\"\(schedule.text)\"><title>member \(best.slot)'s schedule</title></path>
                    """
            }
        }
        frame.close(&svg)
        return svg
    }
}

/// How a hyperparameter's values map to a chart's y axis: numbers as they are (log axis for
/// log-uniform domains), the options of a `choice` (numbers too, e.g. batch sizes 16/32/64/128)
/// by their position among the choices, evenly spaced.
struct ValueAxis: Sendable {
    let logarithmic: Bool
    let categories: [String]
    let extent: [Double]
    let domainText: String

    init(_ history: ExperimentHistory, name: String) {
        let domain = history.settings.domains[name]
        logarithmic = history.settings.isLogarithmic(name)
        var options: [String] = []
        var bounds: [Double] = []
        switch domain {
        case .uniform(let lower, let upper), .logUniform(let lower, let upper):
            bounds = [lower, upper]
        case .integer(let lower, let upper):
            bounds = [Double(lower), Double(upper)]
        case .choice(let values, _):
            options = values.map(\.description)
        default:
            break
        }
        if options.isEmpty, history.scores.contains(where: { $0.hyperparameters.text(name) != nil }) {
            options = Set(history.scores.compactMap { $0.hyperparameters.text(name) }).sorted()
        }
        categories = options
        if options.isEmpty {
            let values = history.scores.compactMap { $0.hyperparameters.number(name) }
            extent = bounds + [values.min(), values.max()].compactMap { $0 }
        } else {
            extent = [0, Double(max(0, options.count - 1))]
        }
        domainText = domain.map { " — \($0)" } ?? ""
    }

    /// The axis value of `value`, or nil when it cannot be placed.
    func value(_ value: HyperparameterValue?) -> Double? {
        guard let value else { return nil }
        if categories.isEmpty { return value.number.flatMap { $0.isFinite ? $0 : nil } }
        return categories.firstIndex(of: value.description).map(Double.init)
    }
}
