import ArgumentParser
import Foundation
import PBTStore

/// `pbt list`: the experiments in a store, or in every `runs/*.sqlite` file.
struct ListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract:
            "List the experiments in a store (default: every runs/*.sqlite file): members, done, best score, created.",
        discussion: "Reads only: nothing is created or written."
    )

    @Option(
        name: .customLong("store"),
        help: ArgumentHelp("The store to list: sqlite:PATH (default: every runs/*.sqlite file).", valueName: "url"))
    var url: String?

    @Flag(help: "Print one JSON object.")
    var json = false

    func run() async throws {
        var list = ExperimentList()
        var failures: [String] = []
        for location in try locations() {
            do {
                let store = try StoreOptions.open(location, create: false)
                defer { try? store.close() }
                try await list.add(store, at: location)
            } catch let error as StoreError where url == nil {
                failures.append(error.message)
            }
        }
        print(json ? try JSONOutput.text(list) : list.text)
        guard failures.isEmpty else {
            for failure in failures { FileHandle.standardError.write(Data("pbt: \(failure)\n".utf8)) }
            throw ExitCode.failure
        }
    }

    /// `--store`, or every `runs/*.sqlite` file by name.
    private func locations() throws -> [StoreLocation] {
        if let url { return [try StoreLocation.parse(url)] }
        let folder = "runs"
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else {
            throw CommandError("no stores: the folder '\(folder)/' does not exist here; pass --store sqlite:PATH")
        }
        let files = names.filter { $0.hasSuffix(".sqlite") }.sorted()
        guard !files.isEmpty else {
            throw CommandError("no stores: '\(folder)/' holds no .sqlite files; pass --store sqlite:PATH")
        }
        return files.map { .sqlite(path: "\(folder)/\($0)") }
    }
}
