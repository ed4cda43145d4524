import Foundation
import PBT
import PBTRuntime
import PBTStore
import PBTTestSupport
import PBTWorkloads

/// Reads an experiment file from `examples/`.
func example(_ name: String) throws -> ExperimentConfig {
    try ExperimentConfig(contentsOf: repositoryRoot.appendingPathComponent("examples/\(name).yaml").path)
}

/// Runs `config` to completion on a fresh in-memory store and returns the store.
@discardableResult
func run(
    _ config: ExperimentConfig, workers: Int = 1, store: InMemoryStore = InMemoryStore()
) async throws -> InMemoryStore {
    let runner = try LocalRunner(config: config, store: store, workload: try BuiltinWorkloads.make(config.workload))
    try await runner.run(workers: workers)
    return store
}

/// The best final score of a finished experiment.
func bestScore(_ config: ExperimentConfig, in store: InMemoryStore) async throws -> Double {
    try await RunSummary(experiment: config.name, store: store, mode: config.mode).best!.score
}

extension ScoreRecord {
    /// The record without the time it was stored: what two runs with the same seed share.
    var untimed: ScoreRecord {
        var record = self
        record.recordedAt = nil
        return record
    }
}

extension ExploitEvent {
    /// The event without the time it was stored: what two runs with the same seed share.
    var untimed: ExploitEvent {
        var event = self
        event.recordedAt = nil
        return event
    }
}
