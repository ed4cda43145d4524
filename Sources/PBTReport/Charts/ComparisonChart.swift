import PBT

/// PBT against random search: the population's best score at each ready step, one thin line
/// per run (seed), PBT and random search in two colours, each run's final best as a dot.
enum ComparisonChart {
    /// The chart as an SVG element.
    static func svg(_ comparison: ComparisonRuns) -> String {
        let pbtRuns = comparison.runs.filter { $0.arm == "pbt" }.count
        let randomRuns = comparison.runs.count - pbtRuns
        let direction = comparison.mode == .max ? "higher is better" : "lower is better"
        let frame = ChartFrame(
            title: "PBT against random search (\(comparison.base))",
            xLabel: "step (training steps of the member's weights)",
            yLabel: "best score in the population (\(direction))",
            xValues: comparison.runs.flatMap { $0.bestByStep.map { Double($0.step) } },
            yValues: comparison.runs.flatMap { $0.bestByStep.map(\.score) },
            legend: [
                .init(label: "PBT (\(pbtRuns) runs)", color: Palette.pbt, style: .line),
                .init(label: "random (\(randomRuns))", color: Palette.random, style: .line),
            ])
        var svg = ""
        frame.open(&svg, label: "PBT against random search, best score by step")
        // Random search first, so PBT is drawn on top where they overlap.
        for run in comparison.runs.filter({ $0.arm == "random" }) + comparison.runs.filter({ $0.arm == "pbt" }) {
            var path = PathData()
            let points = decimate(
                run.bestByStep.filter { $0.score.isFinite }.map { (x: frame.x(Double($0.step)), y: frame.y($0.score)) },
                threshold: 300)
            for (index, point) in points.enumerated() {
                if index == 0 { path.move(point.x, point.y) } else { path.line(point.x, point.y) }
            }
            let color = run.arm == "pbt" ? Palette.pbt : Palette.random
            svg += "<g class=\"run \(run.arm)\" stroke=\"\(color)\"><path class=\"series\" d=\"\(path.text)\"><title>\(run.name.htmlEscaped)</title></path></g>"
            if let last = points.last {
                svg += "<circle cx=\"\(Format.pixel(last.x))\" cy=\"\(Format.pixel(last.y))\" r=\"3.5\" fill=\"\(color)\"/>"
            }
        }
        frame.close(&svg)
        return svg
    }
}
