import Foundation
import PBTReport
import PBTStore

/// The dashboard's front page: every experiment with its progress, newest last.
enum ExperimentListPage {
    struct Row: Sendable {
        var entry: StoreCatalog.Entry
        var progress: ExperimentProgress
        var workload: String?
    }

    static func html(rows: [Row], origin: String, problems: [String]) -> String {
        var html = head("PBT experiments")
        html += "<header class=\"top\"><h1>PBT experiments</h1><p>\(origin.htmlEscaped) · "
        html += "<a href=\"/api/experiments\">JSON</a></p></header><main><section>"
        if rows.isEmpty {
            html +=
                "<p class=\"note\">No experiments yet. Start one with <code>pbt run FILE.yaml</code>; it appears here "
            html += "when you reload.</p>"
        } else {
            html += "<div class=\"scroll\"><table class=\"experiments\"><thead><tr><th>experiment</th><th>workload</th>"
            html += "<th>members</th><th>progress</th><th>created</th><th>store</th></tr></thead><tbody>"
            let dates = DateFormatter()
            dates.locale = Locale(identifier: "en_US_POSIX")
            dates.timeZone = TimeZone(identifier: "UTC")
            dates.dateFormat = "yyyy-MM-dd HH:mm 'UTC'"
            for row in rows {
                let name = row.entry.experiment.name
                html += "<tr><td><a href=\"/experiments/\(escapePath(name))\">\(name.htmlEscaped)</a></td>"
                html += "<td>\((row.workload ?? "—").htmlEscaped)</td>"
                html += "<td class=\"num\">\(row.entry.experiment.population)</td>"
                html += "<td>\(row.progress.line.htmlEscaped)</td>"
                html += "<td>\(dates.string(from: row.entry.experiment.createdAt))</td>"
                html += "<td>\(row.entry.location.description.htmlEscaped)</td></tr>"
            }
            html += "</tbody></table></div>"
        }
        html += "</section>"
        if !problems.isEmpty {
            html += "<section><h2>Files not shown</h2><ul>"
            for problem in problems { html += "<li>\(problem.htmlEscaped)</li>" }
            html += "</ul></section>"
        }
        return html + "</main></body></html>"
    }

    static func missing(_ name: String) -> String {
        head("Not found") + "<header class=\"top\"><h1>No experiment named ‘\(name.htmlEscaped)’</h1>"
            + "<p><a href=\"/\">all experiments</a></p></header></body></html>"
    }

    private static func head(_ title: String) -> String {
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>\(title.htmlEscaped)</title>"
            + "<style>\(HTMLReport.stylesheet)</style></head><body>"
    }

    /// `name` percent-encoded for a URL path segment.
    static func escapePath(_ name: String) -> String {
        name.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/")))
            ?? name
    }
}

extension String {
    /// The text escaped for HTML text and attributes.
    var htmlEscaped: String { HTMLReport.escape(self) }
}
