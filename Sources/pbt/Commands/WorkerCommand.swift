import ArgumentParser
import Foundation
import PBT
import PBTRuntime
import PBTStore

/// `pbt worker`: join an experiment in a shared store and train its members until it is done.
///
/// Start it on any number of machines with the same `--store`; workers coordinate only
/// through the store. A worker that dies loses its leases after `--lease` seconds and another
/// resumes its members from their last commits.
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Join an experiment in a shared store (e.g. PostgreSQL) and train its members until it is done.",
        discussion: """
            Name the experiment (--experiment NAME: it must be in the store, or appear within --wait seconds) \
            or give its file (--file FILE: created in the store if absent, so every worker of a job array may \
            be started the same way).
            """
    )

    @Option(help: "The experiment to join (its configuration is read from the store).")
    var experiment: String?

    @Option(help: "An experiment file: create the experiment in the store unless it is there, then join it.")
    var file: String?

    @OptionGroup var concurrency: ConcurrencyOptions

    @Option(help: "Seconds a claim lasts without a heartbeat; a dead worker's members resume elsewhere after it.")
    var lease: Double = 60

    @Option(help: "Seconds to wait for the experiment to appear in the store.")
    var wait: Double = 0

    @Option(
        help: ArgumentHelp(
            """
            For a command workload: the folder its program runs in on this machine (default: \
            the folder stored with the experiment, where it was created).
            """,
            valueName: "folder"))
    var dir: String?

    @Flag(help: "Report nothing but errors.")
    var quiet = false

    @OptionGroup var store: StoreOptions

    @OptionGroup var logs: LogOptions

    func validate() throws {
        guard (experiment == nil) != (file == nil) else {
            throw ValidationError("give either --experiment NAME or --file FILE")
        }
        guard lease >= 0.5, lease.isFinite else {
            throw ValidationError("--lease must be at least 0.5 seconds, got \(lease)")
        }
        guard wait >= 0, wait.isFinite else { throw ValidationError("--wait must be 0 or more seconds, got \(wait)") }
    }

    func run() async throws {
        let fileConfig = try file.map { try WorkloadFactory.config(contentsOf: $0) }
        let name = experiment ?? fileConfig!.name
        let location = try store.location(experiment: name)
        let slots = try concurrency.slotPlan
        // An experiment file is checked before the store exists: a refusal creates nothing.
        let fileWorkload = try fileConfig.map {
            try WorkloadFactory.make(onThisMachine($0), store: location, slots: slots, logs: logs.root)
        }
        if let fileConfig, let fileWorkload { try LocalRunner.check(fileConfig, fileWorkload) }
        let (store, _) = try self.store.open(experiment: name, create: true)
        defer { try? store.close() }  // lets go of the file's lock
        let config: ExperimentConfig
        if let fileConfig {
            config = fileConfig
        } else {
            config = try await Self.configuration(of: name, in: store, at: location, waiting: wait)
        }
        let workload =
            try fileWorkload
            ?? WorkloadFactory.make(onThisMachine(config), store: location, slots: slots, logs: logs.root)
        let runner = try LocalRunner(config: config, store: store, workload: workload, storeCalls: location.storeCalls)
        if file != nil { try await runner.open() }
        if !quiet {
            note(
                "pbt worker: joining '\(name)' in \(location) with \(concurrency.workerCount) workers, lease \(lease) s"
            )
            if let slots = concurrency.note(for: config) { note(slots) }
        }
        let (workers, pool, lease) = (
            concurrency.workerCount, concurrency.pool, Duration.milliseconds(Int64(self.lease * 1000))
        )
        let work = Task { _ = try await runner.join(workers: workers, lease: lease, pool: pool) }
        let interrupts = Interrupts(cancelling: work)
        defer { withExtendedLifetime(interrupts) {} }
        do {
            try await work.value
        } catch is CancellationError {
            throw ExitStatus.interrupted
        }
        if work.isCancelled { throw ExitStatus.interrupted }
        let stop = try await store.experiment(named: name)?.stop
        try ExitStatus.checkSomeMemberDone(try await store.members(of: name), experiment: name, stopped: stop != nil)
        if !quiet { note("pbt worker: experiment '\(name)' is " + (stop.map { "stopped (\($0.summary))" } ?? "done")) }
    }

    /// `config` as this machine runs it: a command's program in `--dir`, when given. The
    /// experiment's stored configuration stays as it was created.
    private func onThisMachine(_ config: ExperimentConfig) -> ExperimentConfig {
        guard let dir, config.workload.command != nil else { return config }
        var local = config
        local.workload.command?.directory = URL(fileURLWithPath: dir).standardizedFileURL.path
        return local
    }

    /// The experiment's configuration as stored, waiting up to `wait` seconds for it to appear.
    private static func configuration(
        of name: String, in store: any PopulationStore, at location: StoreLocation, waiting wait: Double
    ) async throws -> ExperimentConfig {
        let deadline = ContinuousClock.now + .milliseconds(Int64(wait * 1000))
        while true {
            if let record = try await store.experiment(named: name) {
                do {
                    return try JSONDecoder().decode(ExperimentConfig.self, from: Data(record.configuration.utf8))
                } catch {
                    throw StoreError(
                        .invalid,
                        "experiment '\(name)' in \(location) has a configuration this pbt cannot read (\(error)); "
                            + "use the pbt version that created it")
                }
            }
            guard ContinuousClock.now < deadline else {
                let names = try await store.experiments().map(\.name)
                let holds = names.isEmpty ? "it holds no experiments" : "it holds: \(names.joined(separator: ", "))"
                throw StoreError(
                    .experimentNotFound,
                    "no experiment named '\(name)' in \(location); \(holds). Create it with pbt run FILE --store URL, "
                        + "or start this worker with --file FILE")
            }
            try await Task.sleep(for: .milliseconds(500))
        }
    }

    private func note(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
