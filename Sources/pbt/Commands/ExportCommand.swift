import ArgumentParser
import Foundation

/// `pbt export NAME --format csv|json`: an experiment's scores and events, for pandas.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export an experiment's scores and events (CSV with a column per hyperparameter, or JSON).",
        discussion: """
            CSV: one row per score (kind=score), then one per exploit or explore event, with columns \
            kind, sequence, member, step, score, donor, donor_step, mutations and one per hyperparameter; \
            pandas.read_csv reads it directly. JSON: {experiment, mode, hyperparameter_names, \
            integer_hyperparameters, members, scores, events (with mutations)}. Reads only: nothing in the store is written.
            """
    )

    /// The export formats.
    enum ExportFormat: String, ExpressibleByArgument, CaseIterable {
        case csv, json
    }

    @Argument(help: "The experiment's name.")
    var name: String

    @Option(help: "csv or json.")
    var format: ExportFormat

    @Option(help: "Write to this file instead of standard output (replaced if it exists).")
    var output: String?

    @OptionGroup var store: StoreOptions

    func run() async throws {
        let document = try await ExperimentReader.with(name, store) { try await ExportDocument($0) }
        let text: String
        switch format {
        case .csv: text = ExportCSV(document: document).text
        case .json: text = try Self.json(document) + "\n"
        }
        guard let output else {
            FileHandle.standardOutput.write(Data(text.utf8))
            return
        }
        try OutputFile.write(text, to: output)
    }

    /// The document as one line of JSON.
    static func json(_ document: ExportDocument) throws -> String {
        try JSONOutput.text(document)
    }
}
