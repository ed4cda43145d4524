import ArgumentParser
import Foundation
import PBTTensorBoard

/// `pbt export NAME --format csv|json|tensorboard`: an experiment's scores and events, for pandas or TensorBoard.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export an experiment's scores and events (CSV with a column per hyperparameter, or JSON).",
        discussion: """
            CSV: one row per score (kind=score), then one per exploit or explore event, with columns \
            kind, sequence, member, step, score, donor, donor_step, mutations, time (seconds since 1970), one per \
            hyperparameter and one per metric; pandas.read_csv reads it directly. JSON: {experiment, mode, \
            stop (rule, detail, time; only when a stop: rule ended it), \
            run_seconds (only with stop: seconds), hyperparameter_names, integer_hyperparameters, metric_names, \
            members, scores (with metrics and time), \
            events (with mutations and time)}. TensorBoard (--output DIR required): one event file per member under \
            DIR/member-N/ with the score, each metric and each hyperparameter as scalars and each exploit as text; \
            tensorboard --logdir DIR shows them. Reads only: nothing in the store is written.
            """
    )

    /// The export formats.
    enum ExportFormat: String, ExpressibleByArgument, CaseIterable {
        case csv, json, tensorboard
    }

    @Argument(help: "The experiment's name.")
    var name: String

    @Option(help: "csv, json or tensorboard.")
    var format: ExportFormat

    @Option(
        help:
            """
            Write to this file instead of standard output (replaced if it exists); for tensorboard, \
            the folder to write the event files in (required).
            """
    )
    var output: String?

    func validate() throws {
        if format == .tensorboard, output == nil {
            throw ValidationError("--format tensorboard writes a folder of event files: give it with --output DIR")
        }
    }

    @OptionGroup var store: StoreOptions

    func run() async throws {
        if format == .tensorboard, let output {
            let export = try await ExperimentReader.with(name, store) { reader in
                TensorBoardExport(
                    experiment: reader.record, scores: try await reader.store.scores(of: name),
                    events: try await reader.store.events(of: name))
            }
            let files = try Self.writeTensorBoard(export, to: output)
            print(
                """
                wrote \(files.count) event file\(files.count == 1 ? "" : "s") under \(output); view them with: \
                tensorboard --logdir \(output)
                """
            )
            return
        }
        let document = try await ExperimentReader.with(name, store) { try await ExportDocument($0) }
        let text: String
        switch format {
        case .csv: text = ExportCSV(document: document).text
        case .json: text = try Self.json(document) + "\n"
        case .tensorboard: return
        }
        guard let output else {
            FileHandle.standardOutput.write(Data(text.utf8))
            return
        }
        try OutputFile.write(text, to: output)
    }

    /// Writes the event files under `folder`, which must not be a file.
    /// - Throws: `CommandError` naming the path and the reason.
    static func writeTensorBoard(_ export: TensorBoardExport, to folder: String) throws -> [String] {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), !isFolder.boolValue {
            throw CommandError(
                "cannot write event files in '\(folder)': it is a file; give a folder (created if missing)")
        }
        do {
            return try export.write(to: folder)
        } catch let error as TensorBoardExportError {
            throw CommandError(error.description)
        }
    }

    /// The document as one line of JSON.
    static func json(_ document: ExportDocument) throws -> String {
        try JSONOutput.text(document)
    }
}
