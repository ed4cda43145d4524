import PBT
import PBTStore

/// The report's tables: final members, the best member's schedule, the comparison summary.
enum ReportTables {
    /// Final members, best first: rank, member, status, step, latest score, exploits and every
    /// hyperparameter.
    static func members(_ history: ExperimentHistory) -> String {
        let names = history.hyperparameterNames
        let exploits = history.exploitCounts
        let best = history.best?.slot
        var html =
            "<div class=\"scroll\"><table class=\"members\"><thead><tr><th>rank</th><th>member</th><th>status</th>"
        html += "<th>step</th><th>latest score</th><th>exploits</th>"
        for name in names { html += "<th>\(name.htmlEscaped)</th>" }
        html += "</tr></thead><tbody>"
        for (rank, member) in history.ranking.enumerated() {
            html += "<tr\(member.slot == best ? " class=\"best\"" : "")><td class=\"num\">\(rank + 1)</td>"
            html += "<td>\(swatch(member.slot))member \(member.slot)</td><td>\(member.status.rawValue)</td>"
            html +=
                "<td class=\"num\">\(member.step)</td><td class=\"num\">\(member.score.map(Format.number) ?? "—")</td>"
            html += "<td class=\"num\">\(exploits[member.slot])</td>"
            for name in names {
                html += "<td class=\"num\">\(member.hyperparameters[name]?.description.htmlEscaped ?? "—")</td>"
            }
            html += "</tr>"
        }
        return html + "</tbody></table></div>"
    }

    /// The schedule that produced the best member's weights: from which step, which
    /// hyperparameters, trained in which member's slot.
    static func schedule(_ history: ExperimentHistory) -> String {
        guard let best = history.best else { return "<p class=\"note\">No scores yet.</p>" }
        let names = history.hyperparameterNames
        let entries = history.schedule(of: best.slot)
        var html =
            "<p class=\"note\">Member \(best.slot) scored \(Format.number(best.score ?? .nan)) at step \(best.step). "
        html +=
            "Its weights were trained with these hyperparameters (\(entries.count) "
            + "stretch\(entries.count == 1 ? "" : "es"), "
        html += "oldest first); a change of member is an exploit, a change of values an explore.</p>"
        html +=
            """
            <div class=\"scroll\"><table class=\"schedule\"><thead><tr><th>from step</th><th>to step</th><th>trained \
            by</th>
            """
        for name in names { html += "<th>\(name.htmlEscaped)</th>" }
        html += "</tr></thead><tbody>"
        for (index, entry) in entries.enumerated() {
            let end = index + 1 < entries.count ? entries[index + 1].step : best.step
            html += "<tr><td class=\"num\">\(entry.step)</td><td class=\"num\">\(end)</td>"
            html += "<td>\(swatch(entry.member))member \(entry.member)</td>"
            for name in names {
                html += "<td class=\"num\">\(entry.hyperparameters[name]?.description.htmlEscaped ?? "—")</td>"
            }
            html += "</tr>"
        }
        return html + "</tbody></table></div>"
    }

    /// Every PB2 decision, oldest first: who chose what from where, and why (the GP's predicted
    /// rate and its uncertainty at the choice, the data it learned from and its kernel; with
    /// unordered choices, PB2-Mix's bandit probabilities).
    static func pb2Decisions(_ history: ExperimentHistory) -> String {
        let names = history.tunedHyperparameterNames
        let bandit = history.events.contains { $0.explanation?.categories != nil }
        var html = "<div class=\"scroll\"><table class=\"pb2\"><thead><tr><th>#</th><th>member</th><th>at step</th>"
        html += "<th>continues from</th>"
        for name in names { html += "<th>\(name.htmlEscaped)</th>" }
        html +=
            """
            <th>predicted score / step</th><th>κ</th><th>rows \
            used</th><th>pending</th><th>kernel</th>
            """
        html +=
            (bandit ? "<th>bandit: option drawn (its probability; all options)</th>" : "") + "</tr></thead><tbody>"
        for event in history.events {
            guard let why = event.explanation else { continue }
            html += "<tr><td class=\"num\">\(event.sequence)</td><td>\(swatch(event.member))member \(event.member)</td>"
            html +=
                """
                <td class=\"num\">\(event.step)</td><td>\(swatch(event.donor))member \(event.donor) \
                at \(event.donorStep)</td>
                """
            for name in names { html += "<td class=\"num\">\(event.after[name]?.description.htmlEscaped ?? "—")</td>" }
            html += "<td class=\"num\">\(Format.number(why.predictedRate)) ± \(Format.number(why.rateDeviation))</td>"
            html +=
                "<td class=\"num\">\(Format.number(why.kappa))</td><td class=\"num\">\(why.window) of \(why.rows)</td>"
            html += "<td class=\"num\">\(why.pending)</td><td>\(why.kernel.description.htmlEscaped)</td>"
            if bandit {
                let choices = why.categories?.map(\.description).joined(separator: "; ") ?? "—"
                html += "<td>\(choices.htmlEscaped)</td>"
            }
            html += "</tr>"
        }
        return html + "</tbody></table></div>"
    }

    /// Per arm: runs, the median, mean, min and max of their final best scores, training steps
    /// actually run (and against PBT's), and PBT against the arm: one-sided p, A12, wins/ties/losses.
    static func comparison(_ comparison: ComparisonRuns) -> String {
        let headers =
            ["arm", "runs", "median final best", "mean", "min", "max", "steps run"] + ArmSummary.versusPBTHeaders
        var html =
            "<table class=\"comparison\"><thead><tr>" + headers.map { "<th>\($0)</th>" }.joined()
            + "</tr></thead><tbody>"
        for arm in comparison.summaries {
            let scores = [arm.median, arm.mean, arm.min, arm.max].map { $0.map(Format.number) ?? "—" }
            let cells = ["\(arm.runs.count)"] + scores + ["\(arm.stepsRun)"] + arm.versusPBTColumns
            html +=
                """
                <tr class=\"arm-\(arm.arm.rawValue)\"><td><span class=\"swatch\" \
                style=\"background:\(Palette.color(arm.arm))\"></span>
                """
            html +=
                "\(arm.arm.label.htmlEscaped)</td>" + cells.map { "<td class=\"num\">\($0.htmlEscaped)</td>" }.joined()
                + "</tr>"
        }
        return html + "</tbody></table>"
    }

    /// A small square in the member's colour.
    static func swatch(_ slot: Int) -> String {
        "<span class=\"swatch\" style=\"background:\(Palette.color(slot))\"></span>"
    }
}
