import Hummingbird
import PBTReport
import PBTStore

extension Dashboard {
    /// `GET /` (the list), `/experiments/{name}` (the report, live) and
    /// `/experiments/{name}/body` (the report's sections alone, for live updates); both take
    /// the chart options of `ChartQuery` (`?range=full&x=time&best=members`).
    func addPages(to router: Router<BasicRequestContext>) {
        router.get("/") { _, _ -> Response in
            let entries = try await catalog.entries()
            var rows: [ExperimentListPage.Row] = []
            for entry in entries {
                let snapshot = try await cache.snapshot(entry)
                rows.append(
                    .init(
                        entry: entry, progress: ExperimentProgress(snapshot.history),
                        workload: snapshot.history.settings.workload))
            }
            return .html(
                ExperimentListPage.html(rows: rows, origin: catalog.sourceDescription, problems: await catalog.problems)
            )
        }
        router.get("/experiments/:name") { request, context -> Response in
            let name = try ExperimentPath.name(context)
            guard let entry = try await catalog.entry(named: name) else {
                return .html(ExperimentListPage.missing(name), status: .notFound)
            }
            let candidates = try await catalog.candidates()
            let snapshot = try await cache.snapshot(entry)
            let comparison = try await ComparisonRuns.load(for: name, candidates: candidates)
            let options = ChartQuery.options(request)
            let report = HTMLReport(
                history: snapshot.history, comparison: comparison, location: entry.location.description,
                options: options)
            let finished = ExperimentProgress(snapshot.history).finished
            let script =
                finished ? "" : LiveScript.source(experiment: name, version: snapshot.version, every: pollMilliseconds)
            let path = ExperimentListPage.escapePath(name)
            let navigation =
                "<a href=\"/\">all experiments</a> · <a href=\"/api/experiments/\(path)\">JSON</a> · "
                + ChartQuery.toggles(options, path: "/experiments/\(path)")
            return .html(report.document(navigation: navigation, script: script))
        }
        router.get("/experiments/:name/body") { request, context -> Response in
            let name = try ExperimentPath.name(context)
            guard let entry = try await catalog.entry(named: name) else {
                return .html(ExperimentListPage.missing(name), status: .notFound)
            }
            let location = entry.location.description
            let options = ChartQuery.options(request)
            let body = try await cache.body(entry, kind: "body" + ChartQuery.string(options)) { history in
                HTMLReport(history: history, location: location, options: options).body()
            }
            return .html(body)
        }
    }
}
