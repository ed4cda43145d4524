import Hummingbird
import PBTReport

/// The dashboard's chart options in a page's query, `pbt report`'s flags as parameters:
/// `range=full` (`--full-range`), `x=time` (`--x-axis time`), `best=members` (`--member-best`);
/// and the links that toggle them.
enum ChartQuery {
    /// The options a request's query asks for; unknown values keep the defaults.
    static func options(_ request: Request) -> ChartOptions {
        let query = request.uri.queryParameters
        return ChartOptions(
            fullScoreRange: query["range"] == "full",
            xAxis: query["x"].flatMap { ChartOptions.XAxis(rawValue: String($0)) } ?? .step,
            memberBestSoFar: query["best"] == "members")
    }

    /// The query that asks for `options`: empty for the defaults, else `?range=full&x=time…`.
    static func string(_ options: ChartOptions) -> String {
        var parts: [String] = []
        if options.fullScoreRange { parts.append("range=full") }
        if options.xAxis != .step { parts.append("x=\(options.xAxis.rawValue)") }
        if options.memberBestSoFar { parts.append("best=members") }
        return parts.isEmpty ? "" : "?" + parts.joined(separator: "&")
    }

    /// Links to the page at `path` with one option toggled each: the score range, the x axis,
    /// the members' best so far.
    static func toggles(_ options: ChartOptions, path: String) -> String {
        var range = options, x = options, best = options
        range.fullScoreRange.toggle()
        x.xAxis = options.xAxis == .step ? .time : .step
        best.memberBestSoFar.toggle()
        let links = [
            (range, options.fullScoreRange ? "fitted score axis" : "full score range"),
            (x, options.xAxis == .step ? "x: time" : "x: step"),
            (best, options.memberBestSoFar ? "population's best only" : "members' best too"),
        ]
        return links.map { "<a class=\"toggle\" href=\"\(HTMLReport.escape(path + string($0.0)))\">\($0.1)</a>" }
            .joined(separator: " · ")
    }
}
