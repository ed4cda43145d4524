import Foundation
import PBT
import PBTReport
import PBTRuntime
import PBTStore
import PBTTestSupport
import PBTWorkloads

/// The dashboard tests' small real experiment: `quadraticConfig` with seed 9, by default 4
/// members and 40 steps.
func quadratic(name: String = "serve-quadratic", members: Int = 4, steps: Int = 40) throws -> ExperimentConfig {
    try quadraticConfig(name: name, members: members, steps: steps, seed: 9)
}

/// The runner of `config` on `store`.
func runner(_ config: ExperimentConfig, _ store: any PopulationStore) throws -> LocalRunner {
    try LocalRunner(config: config, store: store, workload: try BuiltinWorkloads.make(config.workload))
}

/// A JSON body decoded as a Foundation object.
func json(_ text: String) throws -> Any {
    try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
}
