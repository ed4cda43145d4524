import Foundation
import PBT

/// An export as one CSV table for pandas: a row per score (`kind` = `score`), then a row per
/// event (`kind` = `exploit` or `explore`), with one column per hyperparameter.
///
/// Columns: `kind, sequence, member, step, score, donor, donor_step, mutations, time`, then the
/// hyperparameters by name (in force for a score; after the change for an event), then the
/// metrics by name (scores only). `time` is when the row was recorded, in seconds since 1970
/// (`pandas.to_datetime(df.time, unit="s")`). Empty cells are missing values. Hyperparameters
/// with an `int` domain are written as integers (`5`, not `5.0`), so pandas reads them as
/// integers. Numbers have full precision (`inf`/`-inf` for a diverged member's worst score):
/// `pandas.read_csv` reads the scores back bit for bit.
struct ExportCSV {
    let document: ExportDocument

    /// The table, with a header line, each line ending in a newline.
    var text: String {
        let names = document.hyperparameterNames, metrics = document.metricNames
        let header = ["kind", "sequence", "member", "step", "score", "donor", "donor_step", "mutations", "time"]
        var lines = [(header + names + metrics).map(Self.cell).joined(separator: ",")]
        lines.reserveCapacity(document.scores.count + document.events.count + 1)
        for score in document.scores {
            let fixed = [
                "score", "", String(score.member), String(score.step), Self.number(score.score), "", "", "",
                Self.time(score.time),
            ]
            let row =
                fixed + names.map { value(score.hyperparameters[$0], of: $0) }
                + metrics.map { score.metrics[$0].map(Self.number) ?? "" }
            lines.append(row.map(Self.cell).joined(separator: ","))
        }
        for event in document.events {
            let mutations = event.mutations.map(Self.describe).joined(separator: "; ")
            let fixed = [
                event.kind, String(event.sequence), String(event.member), String(event.step), "", String(event.donor),
                String(event.donorStep), mutations, Self.time(event.time),
            ]
            let row = fixed + names.map { value(event.after[$0], of: $0) } + metrics.map { _ in "" }
            lines.append(row.map(Self.cell).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A number as the shortest text that reads back to the same double.
    static func number(_ value: Double) -> String {
        if value == .infinity { return "inf" }
        if value == -.infinity { return "-inf" }
        return "\(value)"
    }

    /// A recorded time in seconds since 1970 with microseconds, or empty when unknown.
    static func time(_ seconds: Double?) -> String {
        seconds.map { String(format: "%.6f", $0) } ?? ""
    }

    private func value(_ value: HyperparameterValue?, of name: String) -> String {
        switch value {
        case .number(let value):
            document.integerHyperparameters.contains(name) && value == value.rounded() && abs(value) < 0x1p53
                ? String(Int(value)) : Self.number(value)
        case .text(let text): text
        case nil: ""
        }
    }

    private static func describe(_ change: ExportDocument.Change) -> String {
        let amount = change.by.map { change.operation == "shifted" ? " \(Int($0))" : " ×\(number($0))" } ?? ""
        return "\(change.name) \(change.operation)\(amount)\(change.clamped ? " clamped" : "")"
    }

    /// A field quoted when it holds a comma, quote or line break (RFC 4180).
    private static func cell(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
