import ArgumentParser
import Foundation

/// `pbt status NAME`: the members of an experiment, its best member and its fallbacks.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract:
            "Show an experiment's members (step, score, hyperparameters, exploits), its best member and fallbacks.",
        discussion: "Reads only: a missing or damaged store is reported and nothing is written."
    )

    @Argument(help: "The experiment's name.")
    var name: String

    @Flag(help: "Print one JSON object.")
    var json = false

    @OptionGroup var store: StoreOptions

    func run() async throws {
        let report = try await ExperimentReader.with(name, store) { try await StatusReport($0) }
        print(json ? try JSONOutput.text(report) : report.text)
    }
}
