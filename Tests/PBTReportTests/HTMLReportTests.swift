import Foundation
import PBT
import PBTReport
import PBTRuntime
import PBTStore
import PBTTestSupport
import PBTWorkloads
import Testing

@Suite("HTML report of a real quadratic run")
struct HTMLReportTests {
    @Test("one self-contained document with a chart per concern")
    func selfContained() async throws {
        let history = try await run(try quadratic(), in: InMemoryStore())
        let html = HTMLReport(history: history).document()
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(!html.contains("<script"), "a static report needs no script")
        #expect(!html.contains("src="), "nothing is loaded from elsewhere")
        let links = html.components(separatedBy: "http").dropFirst().filter { !$0.hasPrefix("://www.w3.org/2000/svg") }
        #expect(links.isEmpty, "no network addresses besides the SVG namespace")
        // Score, the quadratic's three metrics, h0, h1 and the lineage tree.
        #expect(occurrences(of: "<svg class=\"chart\"", in: html) == 7)
        for title in [
            "Score against step", "q_hat against step", "theta0 against step", "theta1 against step",
            "h0 against step (log scale)", "h1 against step", "Lineage", "Final members",
            "Best member&#39;s schedule",
        ] {
            #expect(html.contains(title), "missing \(title)")
        }
    }

    @Test("PB2 decisions show the bandit's probabilities when there are unordered choices, and only then")
    func pb2Decisions() async throws {
        var history = try await run(try quadratic(), in: InMemoryStore())
        let exploit = try #require(history.events.firstIndex { $0.isExploit })
        let kernel = PB2KernelParameters(variance: 1, lengthscale: 0.5, epsilon: 0.1, noise: 0.01)
        var why = PB2Explanation(
            mean: 0.5, standardDeviation: 0.2, kappa: 1.3, kernel: kernel, logMarginalLikelihood: -4, window: 12,
            rows: 12, pending: 0, rateMean: 0.01, rateScale: 0.02)
        history.events[exploit].mutations = [Mutation("h0", .suggested(why), clamped: false)]
        let plain = HTMLReport(history: history).body()
        #expect(plain.contains("PB2 decisions") && !plain.contains("bandit"))
        why.kernel.mix = 0.3
        why.categories = [
            PB2BanditChoice(
                name: "act", options: ["relu", "tanh"], probabilities: [0.25, 0.75], chosen: 1, rounds: 9)
        ]
        history.events[exploit].mutations = [Mutation("h0", .suggested(why), clamped: false)]
        let mixed = HTMLReport(history: history).body()
        #expect(mixed.contains("<th>bandit: option drawn (its probability; all options)</th>"))
        #expect(mixed.contains("act = tanh (p 0.75; relu 0.25, tanh 0.75; 9 rounds)"), "the bandit's column")
        #expect(mixed.contains("λ=0.3"), "the kernel's mix")
    }

    @Test("the hyperparameters section counts the explores clamped to a bound, and is silent without any")
    func clampedExplores() async throws {
        // Every value in [0.9, 0.999] leaves the domain when multiplied by 0.8 or 1.2 (a
        // discount tuned linearly), so every explore of h1 is clamped.
        var config = try quadratic(name: "report-clamped")
        config.hyperparameters["h1"] = .uniform(lower: 0.9, upper: 0.999)
        var history = try await run(config, in: InMemoryStore())
        let explores = history.events.filter { event in
            event.mutations.contains { $0.name == "h1" && $0.operation != .unchanged }
        }.count
        #expect(explores > 0, "the fixture must explore")
        let h1 = try #require(history.clampedExplores.first { $0.name == "h1" })
        #expect(h1 == ClampedExplores(name: "h1", explores: explores, clamped: explores))
        let body = HTMLReport(history: history).body()
        #expect(body.contains("Clamped to a bound of the domain: "))
        #expect(body.contains("h1 in \(explores) of \(explores) explores (100%)"))
        for index in history.events.indices {
            history.events[index].mutations = history.events[index].mutations.map {
                Mutation($0.name, $0.operation, clamped: false)
            }
        }
        #expect(history.clampedExplores.isEmpty)
        #expect(!HTMLReport(history: history).body().contains("Clamped to a bound"))
    }

    @Test("every member has a line with its data points, and exploits are drawn")
    func dataPoints() async throws {
        let history = try await run(try quadratic(), in: InMemoryStore())
        #expect(history.events.contains { $0.isExploit }, "the fixture must exploit")
        let score = ScoreChartProbe(html: HTMLReport(history: history).body())
        for member in history.members.indices {
            #expect(score.section.contains("class=\"member member-\(member)\""))
        }
        // One series path per member in the score chart, one latest-score dot per member.
        #expect(occurrences(of: "class=\"series\"", in: score.scoreChart) == history.members.count)
        #expect(occurrences(of: "<circle class=\"point", in: score.scoreChart) == history.members.count)
        #expect(score.scoreChart.contains("class=\"exploit\""))
        // A path's points: as many as the member's ready points (no decimation at this size).
        let member0 = history.scores.filter { $0.member == 0 }.count
        let path = try #require(score.firstSeriesPath)
        #expect(occurrences(of: "L", in: path) + occurrences(of: "M", in: path) >= member0)
        // The lineage tree: one copy connector per exploit.
        let exploits = history.events.filter(\.isExploit).count
        let copies = occurrences(of: "M", in: score.lineageCopyPaths)
        #expect(copies == exploits)
    }

    @Test("each metric gets a chart with one line per member, and none without metrics")
    func metricCharts() async throws {
        let history = try await run(try quadratic(), in: InMemoryStore())
        let body = HTMLReport(history: history).body()
        let section = try #require(body.components(separatedBy: "<section id=\"metrics\">").dropFirst().first)
            .components(separatedBy: "</section>")[0]
        #expect(occurrences(of: "<svg class=\"chart\"", in: section) == 3)
        #expect(occurrences(of: "class=\"series\"", in: section) == 3 * history.members.count)
        var plain = history
        plain.scores = history.scores.map {
            var score = $0
            score.metrics = .none
            return score
        }
        #expect(!HTMLReport(history: plain).body().contains("<section id=\"metrics\">"))
    }

    @Test("log-uniform hyperparameters get a log axis with decade ticks")
    func logAxis() async throws {
        let history = try await run(try quadratic(), in: InMemoryStore())
        let html = HTMLReport(history: history).body()
        let h0 = try #require(
            html.components(separatedBy: "<svg class=\"chart\"").first { $0.contains("h0 against step") })
        #expect(h0.contains("(log scale)"))
        for tick in [">0.01<", ">0.1<", ">1<"] { #expect(h0.contains(tick), "missing tick \(tick)") }
        let h1 = try #require(
            html.components(separatedBy: "<svg class=\"chart\"").first { $0.contains("h1 against step") })
        #expect(!h1.contains("(log scale)"))
        #expect(h1.contains(">0.4<") && h1.contains(">1<"))
    }

    @Test("the final members table ranks every member, best first")
    func table() async throws {
        let history = try await run(try quadratic(), in: InMemoryStore())
        let html = HTMLReport(history: history).body()
        let best = try #require(history.best)
        #expect(
            html.contains("<tr class=\"best\"><td class=\"num\">1</td><td><span class=\"swatch\" style=\"background:"))
        #expect(html.contains("member \(best.slot)</td><td>done</td>"))
        #expect(
            occurrences(
                of: "<tr",
                in: html.components(separatedBy: "class=\"members\"")[1].components(separatedBy: "</table>")[0])
                == history.members.count + 1)
    }

    @Test("a comparison draws each arm's median and min-max band and the winning PBT member's schedule")
    func comparison() async throws {
        let store = InMemoryStore()
        let comparison = try Comparison(
            config: try quadratic(name: "toy", steps: 40, seed: 1), seeds: 3, arms: ComparisonArm.allCases)
        _ = try await comparison.run(
            store: store, concurrentRuns: 2, workload: { try BuiltinWorkloads.make($0.workload) })
        let catalog = StoreCatalog(.store(.memory, store))
        let report = try await HTMLReport.make("toy", catalog: catalog)
        #expect(report.history.experiment.name == "toy.pbt.seed1")
        let html = report.body()
        let section = try #require(html.components(separatedBy: "<section id=\"comparison\">").dropFirst().first)
            .components(separatedBy: "</section>")[0]
        for arm in ComparisonArm.allCases {
            let group = try #require(
                section.components(separatedBy: "<g class=\"arm arm-\(arm.rawValue)\"").dropFirst().first
            )
            .components(separatedBy: "</g>")[0]
            #expect(occurrences(of: "<path class=\"band\"", in: group) == 1, "\(arm) band")
            #expect(occurrences(of: "<path class=\"median\"", in: group) == 1, "\(arm) median line")
            #expect(section.contains("<tr class=\"arm-\(arm.rawValue)\">"), "\(arm) row")
            #expect(section.contains("\(arm.label) (3)"), "\(arm) legend with its run count")
        }
        // The winner is the PBT run with the best final score; its best member's schedule is drawn.
        let pbtRuns = try #require(report.comparison).runs(of: .pbt)
        let winner = try #require(
            pbtRuns.max {
                ($0.finalBest ?? -.infinity, -Double($0.seed)) < ($1.finalBest ?? -.infinity, -Double($1.seed))
            })
        let history = try await ExperimentHistory.load(winner.name, from: store)
        let best = try #require(history.best)
        let schedule = try #require(html.components(separatedBy: "<section id=\"winning-schedule\">").dropFirst().first)
            .components(separatedBy: "</section>")[0]
        #expect(schedule.contains("member \(best.slot) of \(winner.name)"))
        #expect(occurrences(of: "class=\"schedule winning\"", in: schedule) == 2)
        #expect(schedule.contains("data-hyperparameter=\"h0\"") && schedule.contains("data-hyperparameter=\"h1\""))
        #expect(schedule.contains("h0 along the winning schedule (log scale)"), "h0 is log-uniform")
        #expect(!schedule.contains("h1 along the winning schedule (log scale)"))
        let rows = schedule.components(separatedBy: "<tbody>")[1].components(separatedBy: "</tbody>")[0]
        #expect(occurrences(of: "<tr>", in: rows) == history.schedule(of: best.slot).count)
        let plain = try await HTMLReport.make("toy.random.seed2", catalog: catalog)
        #expect(plain.comparison?.runs.count == 12)
    }

    @Test("no comparison section without comparison runs; unknown names are refused")
    func noComparison() async throws {
        let store = InMemoryStore()
        try await run(try quadratic(), in: store)
        let report = try await HTMLReport.make("report-quadratic", catalog: StoreCatalog(.store(.memory, store)))
        #expect(report.comparison == nil)
        #expect(!report.body().contains("id=\"comparison\"") && !report.body().contains("id=\"winning-schedule\""))
        await #expect(throws: ReportError.self) {
            try await HTMLReport.make("nope", catalog: StoreCatalog(.store(.memory, store)))
        }
    }
}

/// Pieces of a report body: the score chart and the lineage tree.
struct ScoreChartProbe {
    let section: String
    let scoreChart: String
    let lineageCopyPaths: String
    let firstSeriesPath: String?

    init(html: String) {
        let charts = html.components(separatedBy: "<svg class=\"chart\"")
        section = html
        scoreChart = charts.first { $0.contains("Score against step") } ?? ""
        let lineage = charts.first { $0.contains("Lineage: who copied whom") } ?? ""
        lineageCopyPaths = lineage.components(separatedBy: "<path class=\"").filter {
            $0.hasPrefix("copy\"") || $0.hasPrefix("extinct copy\"")
        }.map { $0.components(separatedBy: "d=\"")[1].components(separatedBy: "\"")[0] }.joined()
        firstSeriesPath =
            scoreChart.components(separatedBy: "<path class=\"series\" d=\"").dropFirst().first?
            .components(separatedBy: "\"").first
    }
}
