import Foundation
import PBT
import PBTStore

/// One experiment's report as HTML: facts, score chart, one chart per hyperparameter, the
/// lineage tree, the final members, the best member's schedule and, when the experiment belongs
/// to a `pbt compare`, PBT against the other arms and the winning PBT member's schedule.
///
/// The document is self-contained: inline CSS and SVG, no scripts, no network.
public struct HTMLReport: Sendable {
    /// The experiment.
    public let history: ExperimentHistory
    /// The comparison's runs, when the experiment belongs to one.
    public let comparison: ComparisonRuns?
    /// Where the experiment lives, as shown (passwords hidden).
    public let location: String?
    /// How the score and metric charts are drawn: score range, x axis, members' best so far.
    public let options: ChartOptions

    /// Creates a report.
    /// - Parameters:
    ///   - history: everything recorded about the experiment.
    ///   - comparison: the runs of the `pbt compare` the experiment belongs to, if any.
    ///   - location: where the experiment lives, as shown (passwords hidden).
    ///   - options: how the score and metric charts are drawn (by default the score axis is
    ///     fitted to the later scores, the x axis is the step, and only the population's best so
    ///     far is drawn).
    public init(
        history: ExperimentHistory, comparison: ComparisonRuns? = nil, location: String? = nil,
        options: ChartOptions = .init()
    ) {
        self.history = history
        self.comparison = comparison
        self.location = location
        self.options = options
    }

    /// The whole HTML document.
    /// - Parameters:
    ///   - navigation: HTML placed in the header (e.g. a link back to the dashboard).
    ///   - script: JavaScript appended at the end of the body (the dashboard's live updates); none
    ///     in a static report.
    /// - Complexity: O(S + E) for S scores and E events; curves are decimated for drawing.
    public func document(navigation: String = "", script: String = "") -> String {
        let name = history.experiment.name.htmlEscaped
        var html = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        html += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        html += "<title>\(name) — PBT report</title><style>\(ReportStyle.css)</style></head><body>"
        html += "<header class=\"top\"><h1>\(name)</h1><p>Population Based Training report"
        html += " · <span id=\"live\" class=\"live\">\(ExperimentProgress(history).line.htmlEscaped)</span>"
        html += navigation.isEmpty ? "" : " · \(navigation)"
        html += "</p></header><main id=\"report\">\(body())</main>"
        if !script.isEmpty { html += "<script>\(script)</script>" }
        return html + "</body></html>"
    }

    /// The report's sections (the content of `<main>`), also served alone for live updates.
    public func body() -> String {
        let tracks = MemberTracks(history)
        var html = section("Experiment", facts())
        let fitted =
            options.fullScoreRange || ScoreChart.fittedRange(history.scores, mode: history.settings.mode) == nil
            ? ""
            : " The score axis is fitted to the later scores (from the 5th percentile of those in the second half of "
                + "training to the best); lower scores are drawn at its edge and counted above the chart (pbt report "
                + "--full-range shows them all)."
        let x = ChartXAxis(history, kind: options.xAxis)
        let memberBest = options.memberBestSoFar ? " Dotted lines: each member's best score so far." : ""
        html += section(
            "Score",
            note(
                "Each line is one member's weights; a dashed line joins the donor's ready point to the copier's next "
                    + "point after an exploit (the copier continues from the donor's step); "
                    + "the thick black line is the "
                    + "population's best score so far. Lines are drawn from at most "
                    + "\(ScoreChart.pointsPerMember) points per member; the data keeps all \(history.scores.count)."
                    + memberBest + fitted + (x.fallbackNote.map { " " + $0 } ?? ""))
                + ScoreChart.svg(history, tracks: tracks, options: options))
        let metrics = MetricChart.names(history)
        if !metrics.isEmpty {
            html += section(
                "Metrics",
                note(
                    "The other numbers the trainable reported with each score (recorded, never ranked), one chart per "
                        + "metric, drawn like the score.")
                    + metrics.map { MetricChart.svg(history, tracks: tracks, name: $0, x: x) }.joined())
        }
        let names = history.tunedHyperparameterNames
        var charts = note(
            "The value in force while each stretch of weights trained (the learned schedules). A dashed jump is an "
                + "exploit: from the donor's value to the value after exploring. The thick black line is the schedule "
                + "of the best member's weights.")
        for name in names { charts += HyperparameterChart.svg(history, tracks: tracks, name: name) }
        let clamped = history.clampedExplores
        if !clamped.isEmpty {
            charts += note(
                "Clamped to a bound of the domain: " + clamped.map(\.summary).joined(separator: ", ") + ". "
                    + ClampedExplores.meaning)
        }
        html += section("Hyperparameters", charts)
        html += section(
            "Lineage",
            note(
                "Each lane is a member slot. A vertical connector is an exploit: the lower end's member copied the "
                    + "weights of the member at the dot. Coloured stretches survive in the final population.")
                + LineageChart.svg(history, tracks: tracks))
        html += section("Final members", ReportTables.members(history))
        html += section("Best member's schedule", ReportTables.schedule(history))
        if history.events.contains(where: { $0.explanation != nil }) {
            html += section(
                "PB2 decisions",
                note(
                    "Each row is one explore by PB2: the configuration its GP-UCB chose for a member continuing from a "
                        + "step (after copying a donor, the donor's), with the Gaussian process's predicted "
                        + "improvement of "
                        + "the score per step there (mean ± standard deviation), "
                        + "the weight κ of the uncertainty in the "
                        + "choice, the newest observations it learned from, the configurations other members had just "
                        + "taken (pending), and the fitted time-varying kernel."
                        + (history.events.contains { $0.explanation?.categories != nil }
                            ? " With unordered choices (PB2-Mix) a bandit drew their options first, and the GP chose "
                                + "the numeric values given them: the last column gives each option's probability at "
                                + "the decision; λ in the kernel weighs the product of the numeric and the category "
                                + "similarity against their mean." : ""))
                    + ReportTables.pb2Decisions(history),
                id: "pb2")
        }
        if let comparison { html += comparisonSections(comparison) }
        return html
    }

    /// The comparison (`id="comparison"`): each arm's median best-score curve with its min–max
    /// band and the table of arms; then the winning PBT member's schedule
    /// (`id="winning-schedule"`).
    private func comparisonSections(_ comparison: ComparisonRuns) -> String {
        var html = section(
            "PBT against other arms",
            note(
                "Every arm runs the same members and budget over the same seeds. Random search keeps PBT's "
                    + "initial draws "
                    + "with exploit and explore off; best fixed gives every member the hyperparameters of the best "
                    + "member of "
                    + "all random-search runs. Lines: median over seeds of the population's best score at each ready "
                    + "step; "
                    + "bands: smallest to largest run. p: one-sided Mann-Whitney U (PBT's final scores better); A12: "
                    + "the "
                    + "probability that a PBT run beats one of the arm's, ties counting half.")
                + ComparisonChart.svg(comparison) + ReportTables.comparison(comparison),
            id: "comparison")
        if let winner = comparison.winner, let best = winner.best {
            html += section(
                "Winning PBT schedule",
                note(
                    "The hyperparameters that trained the best member (\(best.slot)) of the best PBT run "
                        + "(\(winner.experiment.name)), along its lineage: its own history joined with its donors'.")
                    + WinningScheduleChart.svgs(winner).joined() + ReportTables.schedule(winner),
                id: "winning-schedule")
        }
        return html
    }

    private func facts() -> String {
        let settings = history.settings
        var rows: [(String, String)] = [
            ("workload", settings.workload ?? "unknown"),
            ("members", "\(history.experiment.population)"),
            ("budget", settings.steps.map { "\($0) steps" } ?? "unknown"),
            (
                "ready every",
                settings.intervalSeconds.map { "\($0) s of training" } ?? settings.interval.map { "\($0) steps" }
                    ?? "unknown"
            ),
            ("mode", settings.mode == .max ? "max (higher is better)" : "min (lower is better)"),
            ("exploit", settings.exploit ?? "unknown"),
            ("explore", settings.explore ?? "unknown"),
            ("population", settings.synchronous == true ? "synchronous" : "asynchronous"),
            ("seed", settings.seed.map { "\($0)" } ?? "unknown"),
            ("ready points", "\(history.scores.count)"),
            ("exploits", "\(history.events.filter(\.isExploit).count)"),
            ("created", ISO8601DateFormatter().string(from: history.experiment.createdAt)),
        ]
        if let rules = settings.stopRules { rows.append(("stop rules", rules)) }
        if let stop = history.experiment.stop { rows.append(("stopped by", stop.summary)) }
        if let seconds = history.experiment.runSeconds { rows.append(("run time", "\(Int(seconds.rounded())) s")) }
        for name in settings.domains.keys.sorted() { rows.append((name, "\(settings.domains[name]!)")) }
        if let location { rows.append(("store", location)) }
        let items = rows.map { "<div><dt>\($0.0.htmlEscaped)</dt><dd>\($0.1.htmlEscaped)</dd></div>" }
        return "<dl class=\"facts\">\(items.joined())</dl>"
    }

    /// A section; its id is `id`, else the title in lower case with dashes.
    private func section(_ title: String, _ content: String, id: String? = nil) -> String {
        let id =
            id ?? title.lowercased().filter { $0.isLetter || $0 == " " }.split(separator: " ").joined(separator: "-")
        return "<section id=\"\(id)\"><h2>\(title.htmlEscaped)</h2>\(content)</section>"
    }

    private func note(_ text: String) -> String {
        "<p class=\"note\">\(text.htmlEscaped)</p>"
    }
}

extension HTMLReport {
    /// The report's CSS, for other pages that want the same look (the dashboard's list).
    public static var stylesheet: String { ReportStyle.css }

    /// `text` with `&`, `<`, `>`, `"` and `'` escaped, safe in HTML text and attributes.
    public static func escape(_ text: String) -> String { text.htmlEscaped }
}
