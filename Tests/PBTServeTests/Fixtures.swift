import Foundation
import PBT
import PBTReport
import PBTRuntime
import PBTStore
import PBTWorkloads

/// The quadratic toy with h0 log-uniform: a small real experiment.
func quadratic(name: String = "serve-quadratic", members: Int = 4, steps: Int = 40) throws -> ExperimentConfig {
    ExperimentConfig(
        name: name, workload: WorkloadSpec(name: "quadratic", options: ["step_size": 0.02]), population: members,
        schedule: try TrainingSchedule(steps: steps, interval: 4), seed: 9, exploit: .truncation(fraction: 0.25),
        explore: .perturb(factors: [0.8, 1.2]),
        hyperparameters: ["h0": .logUniform(lower: 0.01, upper: 1), "h1": .uniform(lower: 0, upper: 1)])
}

/// The runner of `config` on `store`.
func runner(_ config: ExperimentConfig, _ store: any PopulationStore) throws -> LocalRunner {
    try LocalRunner(config: config, store: store, workload: try BuiltinWorkloads.make(config.workload))
}

/// A JSON body decoded as a Foundation object.
func json(_ text: String) throws -> Any {
    try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
}
