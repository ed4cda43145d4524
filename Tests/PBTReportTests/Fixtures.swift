import Foundation
import PBT
import PBTReport
import PBTRuntime
import PBTStore
import PBTTestSupport
import PBTWorkloads

/// The report tests' small real experiment: `quadraticConfig`, by default 4 members, 60 steps
/// and seed 5.
func quadratic(
    name: String = "report-quadratic", members: Int = 4, steps: Int = 60,
    exploit: ExploitSpec = .truncation(fraction: 0.25),
    seed: UInt64 = 5
) throws -> ExperimentConfig {
    try quadraticConfig(name: name, members: members, steps: steps, seed: seed, exploit: exploit)
}

/// Runs `config` to completion in `store` and returns its history.
@discardableResult
func run(_ config: ExperimentConfig, in store: any PopulationStore) async throws -> ExperimentHistory {
    let runner = try LocalRunner(config: config, store: store, workload: try BuiltinWorkloads.make(config.workload))
    try await runner.run(workers: 1)
    return try await ExperimentHistory.load(config.name, from: store)
}
