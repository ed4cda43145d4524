import Foundation
import PBT
import PBTRuntime

/// The human-readable end-of-run summary: best member, its schedule, exploits, members.
struct SummaryText: CustomStringConvertible {
    let summary: RunSummary
    /// Where a member's program log is, for external programs.
    var logPath: ((Int) -> String)?

    init(_ summary: RunSummary) {
        self.summary = summary
    }

    var description: String {
        var lines = [
            """
            experiment \(summary.experiment): \(summary.members.count) members, \(summary.exploits) exploits, \
            \(summary.explores) explores
            """
        ]
        if let stop = summary.stop { lines.append("stopped early by rule \(stop.summary)") }
        if let best = summary.best {
            lines.append("best member \(best.member): score \(format(best.score)) with \(best.hyperparameters)")
            if let test = best.testScore {
                lines.append("best member \(best.member) on held-out test data: \(format(test))")
            }
            lines.append("schedule of member \(best.member)'s weights (from step: hyperparameters, trained by):")
            for entry in best.schedule {
                lines.append("  step \(pad(entry.step, 7)): \(entry.hyperparameters)  (member \(entry.member))")
            }
        }
        lines.append("members:")
        for member in summary.members {
            let score = member.score.map(format) ?? "—"
            lines.append(
                "  \(pad(member.member, 4))  step \(pad(member.step, 7))  "
                    + "\(member.status.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0))"
                    + "  score \(score)  exploits \(member.exploits)  \(member.hyperparameters)")
        }
        for member in summary.members where member.status == .failed {
            lines.append(
                """
                member \(member.member) failed after \(member.failures) \
                failures and was left out from step \(member.step)
                """
                    + (logPath.map { "; its log: \($0(member.member))" } ?? ""))
        }
        return lines.joined(separator: "\n")
    }

    private func format(_ value: Double) -> String {
        String(format: "%.6g", value)
    }

    private func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: " ", count: max(0, width - text.count)) + text
    }
}
