import Foundation
import PBT
import PBTReport
import PBTRuntime
import PBTStore
import PBTWorkloads

/// A small real experiment: the quadratic toy with h0 on a log-uniform domain, run to
/// completion through `LocalRunner` into `store`.
func quadratic(
    name: String = "report-quadratic", members: Int = 4, steps: Int = 60,
    exploit: ExploitSpec = .truncation(fraction: 0.25),
    seed: UInt64 = 5
) throws -> ExperimentConfig {
    ExperimentConfig(
        name: name, workload: WorkloadSpec(name: "quadratic", options: ["step_size": 0.02]), population: members,
        schedule: try TrainingSchedule(steps: steps, interval: 4), seed: seed, exploit: exploit,
        explore: .perturb(factors: [0.8, 1.2]),
        hyperparameters: ["h0": .logUniform(lower: 0.01, upper: 1), "h1": .uniform(lower: 0, upper: 1)])
}

/// Runs `config` to completion in `store` and returns its history.
@discardableResult
func run(_ config: ExperimentConfig, in store: any PopulationStore) async throws -> ExperimentHistory {
    let runner = try LocalRunner(config: config, store: store, workload: try BuiltinWorkloads.make(config.workload))
    try await runner.run(workers: 1)
    return try await ExperimentHistory.load(config.name, from: store)
}
