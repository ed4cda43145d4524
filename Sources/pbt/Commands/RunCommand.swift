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

    @OptionGroup var concurrency: ConcurrencyOptions

    @Option(help: "Override the experiment's seed.")
    var seed: UInt64?

    @Flag(help: "Print the summary as one JSON object.")
    var json = false

    @Flag(help: "No progress output.")
    var quiet = false

    @Flag(
        help:
            """
            Delete an experiment of this name from the store first (its scores, events and checkpoints), \
            to start a changed file afresh; refused while workers hold live leases on it.
            """
    )
    var fresh = false

    @OptionGroup var store: StoreOptions

    @OptionGroup var logs: LogOptions

    func run() async throws {
        var config = try WorkloadFactory.config(contentsOf: file)
        if let seed { config.seed = seed }
        let workload = try WorkloadFactory.make(
            config, store: try self.store.location(experiment: config.name), slots: try concurrency.slotPlan,
            logs: logs.root)
        try LocalRunner.check(config, workload)  // before the store exists: a refusal creates nothing
        let (store, location) = try self.store.open(experiment: config.name, create: true)
        defer { try? store.close() }  // leaves no -wal/-shm files behind
        if fresh, try await store.experiment(named: config.name) != nil {
            let deleted = try await ExperimentDeletion.delete(config.name, from: store)
            if !quiet { note("pbt: --fresh: deleted experiment '\(config.name)' from \(location) (\(deleted))") }
        }
        let runner = try LocalRunner(config: config, store: store, workload: workload, storeCalls: location.storeCalls)
        if !quiet, let slots = concurrency.note(for: config) { note(slots) }
        if try await !runner.open(), !quiet { note("pbt: resuming experiment '\(config.name)' from \(location)") }
        let reporter = ProgressReporter(
            experiment: config.name, store: store, budget: config.schedule.steps, mode: config.mode,
            style: quiet ? .silent : .automatic)
        let (workers, pool) = (concurrency.workerCount, concurrency.pool)
        let work = Task { try await reporter.while { _ = try await runner.run(workers: workers, pool: pool) } }
        let interrupts = Interrupts(cancelling: work)
        defer { withExtendedLifetime(interrupts) {} }
        do {
            try await work.value
        } catch is CancellationError {
            throw interrupted(location)
        }
        if work.isCancelled { throw interrupted(location) }
        let members = try await store.members(of: config.name)
        var summary = try await RunSummary(experiment: config.name, store: store, mode: config.mode)
        if let best = summary.best, let id = members[best.member].checkpoint {
            summary.best?.testScore = try await workload.heldOutScore {
                try await store.checkpoint(of: config.name, id: id).payload.bytes()
            }
        }
        var text = SummaryText(summary)
        if config.workload.command != nil {
            text.logPath = { ExternalLogs.path(experiment: config.name, member: $0, store: location) }
        }
        print(json ? try summary.json() : text.description)
        try ExitStatus.checkSomeMemberDone(members, experiment: config.name, stopped: summary.stop != nil)
    }

    private func note(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    private func interrupted(_ location: StoreLocation) -> any Error {
        FileHandle.standardError.write(
            Data("pbt: stopped; everything committed is in \(location). Run the same command to resume.\n".utf8))
        return ExitStatus.interrupted
    }
}
