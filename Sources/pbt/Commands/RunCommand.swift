import ArgumentParser
import Foundation
import PBT
import PBTRuntime
import PBTStore
import PBTWorkloads

/// `pbt run FILE`: create (or resume) an experiment and run it to completion.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run an experiment file to completion, then print a summary."
    )

    @Argument(help: "The experiment file (YAML).")
    var file: String

    @Option(help: "Concurrent workers in this process (default: the number of cores).")
    var workers: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "Override the experiment's seed.")
    var seed: UInt64?

    @Flag(help: "Print the summary as one JSON object.")
    var json = false

    @Flag(help: "No progress output.")
    var quiet = false

    func validate() throws {
        guard workers >= 1 else { throw ValidationError("--workers must be at least 1, got \(workers)") }
    }

    func run() async throws {
        var config = try ExperimentConfig(contentsOf: file)
        if let seed { config.seed = seed }
        let workload = try BuiltinWorkloads.make(config.workload)
        let store = InMemoryStore()
        let runner = try LocalRunner(config: config, store: store, workload: workload)
        try await runner.open()
        let reporter = ProgressReporter(
            experiment: config.name, store: store, budget: config.schedule.steps, mode: config.mode,
            style: quiet ? .silent : .automatic)
        try await reporter.while { try await runner.run(workers: workers) }
        let summary = try await RunSummary(experiment: config.name, store: store, mode: config.mode)
        print(json ? try summary.json() : SummaryText(summary).description)
    }
}
