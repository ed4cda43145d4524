import Foundation
import PBT
import PBTStore

/// Runs an experiment on this machine: creates it in the store (or resumes it) and runs K
/// workers as concurrent tasks over the same worker loop that remote workers use.
public struct LocalRunner: Sendable {
    /// The experiment.
    public let config: ExperimentConfig
    /// Where it lives.
    public let store: any PopulationStore
    /// What trains.
    public let workload: any Workload
    /// The decisions.
    public let scheduler: Scheduler
    /// Where the workers run their store calls (default: on the store executor, right for
    /// every store; `.inPlace` saves a hop per call for a store answering from memory).
    public let storeCalls: StoreCalls

    /// Creates a runner.
    /// - Parameters:
    ///   - config: the experiment.
    ///   - store: where it lives.
    ///   - workload: what trains.
    ///   - storeCalls: where the workers run their store calls (see `StoreCalls`).
    /// - Throws: `PBTError` when the configuration is invalid, when it tunes hyperparameters
    ///   the workload does not read, or when a domain reaches values the workload refuses.
    public init(
        config: ExperimentConfig, store: any PopulationStore, workload: any Workload,
        storeCalls: StoreCalls = .onStoreExecutor
    ) throws {
        try Self.check(config, workload)
        self.storeCalls = storeCalls
        self.config = config
        self.store = store
        self.workload = workload
        self.scheduler = try config.makeScheduler()
    }

    /// Checks that `workload` can run `config`: it reads every tuned hyperparameter and accepts
    /// every value of its domain (what `init` checks, for callers that must refuse an
    /// experiment before they create its store).
    /// - Throws: `PBTError` naming the hyperparameter.
    public static func check(_ config: ExperimentConfig, _ workload: any Workload) throws {
        let unknown = config.hyperparameters.keys.filter { !workload.hyperparameterNames.contains($0) }.sorted()
        guard unknown.isEmpty else {
            throw PBTError.invalidValue(
                "hyperparameters.\(unknown[0])",
                """
                workload '\(config.workload.name)' does not read it; it reads: \
                \(workload.hyperparameterNames.joined(separator: ", "))
                """
            )
        }
        try HyperparameterRange.check(
            workload.hyperparameterRanges, config.hyperparameters, workload: config.workload.name)
        _ = try config.makeScheduler()
    }

    /// Creates the experiment in the store, or finds it there with the same configuration.
    /// - Returns: true when created, false when resuming.
    @discardableResult
    public func open() async throws -> Bool {
        let record = ExperimentRecord(
            name: config.name, population: config.population, configuration: try config.canonicalJSON())
        return try await store.create(record, members: try config.initialHyperparameters(using: scheduler))
    }

    /// Runs `workers` workers until every member is done or a `stop:` rule ends the experiment
    /// (see `ExperimentStopper`); cancelling the task stops each
    /// worker after its current commit. Members whose lease a dead local worker process still
    /// holds (after `kill -9`) are released first, so a resumed run continues with them at once.
    /// - Parameters:
    ///   - workers: concurrent workers (default: the number of cores).
    ///   - lease: how long a claim lasts without a heartbeat (workers renew it every third).
    ///   - pool: the most live trainables (for an external program: processes) the workers
    ///     keep, at least `workers` (default: `workers`) and at most the workload's
    ///     `liveLimit` (its slots); see `TrainablePool`.
    /// - Returns: how many trainables the workers made (processes started).
    @discardableResult
    public func run(
        workers: Int = ProcessInfo.processInfo.activeProcessorCount, lease: Duration = .seconds(60), pool: Int? = nil
    ) async throws -> Int {
        try await open()
        return try await join(workers: workers, lease: lease, pool: pool)
    }

    /// Runs `workers` workers on the experiment, which must already be in the store, until
    /// every member is done (what `pbt worker` does on each machine); dead local workers'
    /// leases are released first, as in `run`. Returns (or throws) once every commit of these
    /// workers is durable (see `PopulationStore.flush()`).
    /// - Parameters:
    ///   - workers: concurrent workers (default: the number of cores).
    ///   - lease: how long a claim lasts without a heartbeat, as for `run`.
    ///   - pool: as for `run`.
    /// - Returns: how many trainables the workers made (processes started).
    @discardableResult
    public func join(
        workers: Int = ProcessInfo.processInfo.activeProcessorCount, lease: Duration = .seconds(60), pool: Int? = nil
    ) async throws -> Int {
        let workers = max(1, workers)
        let capacity = pool ?? workers
        guard capacity >= workers else {
            throw PBTError.invalidSetting(
                "pool", "\(capacity) live trainables cannot serve \(workers) workers; give at least \(workers)")
        }
        if let limit = workload.liveLimit, capacity > limit {
            throw PBTError.invalidSetting(
                "pool",
                "\(capacity) live trainables exceed the workload's \(limit) slots (one live process per slot); "
                    + "give at most \(limit) workers and pool")
        }
        try await DeadLeases.release(experiment: config.name, in: store)
        let stopper = try await ExperimentStopper.open(
            config.stop, mode: config.mode, experiment: config.name, store: store)
        // One worker claims in the store's order, so that `--workers 1` reproduces a run.
        let pool = TrainablePool(capacity: capacity, prefersHeldMembers: workers > 1)
        do {
            try await runWorkers(workers, lease: lease, pool: pool, stopper: stopper)
        } catch {
            await pool.closeAll()
            try? await store.flush()
            throw error
        }
        await pool.closeAll()
        try await store.flush()
        return pool.starts
    }

    private func runWorkers(
        _ workers: Int, lease: Duration, pool: TrainablePool, stopper: ExperimentStopper?
    ) async throws {
        let prefix = DeadLeases.processPrefix
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<workers {
                var worker = Worker(
                    store: store, experiment: config.name, scheduler: scheduler, workload: workload,
                    name: "\(prefix)/\(index)", lease: lease, pool: pool, maxFailures: config.workload.maxFailures)
                worker.stopper = stopper
                worker.storeCalls = storeCalls
                group.addTask { try await worker.run() }
            }
            try await group.waitForAll()
        }
    }
}
