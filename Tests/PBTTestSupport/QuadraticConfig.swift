import PBT
import PBTRuntime

/// The quadratic toy as an `ExperimentConfig`, for tests that run it in-process: `h0`
/// log-uniform on [0.01, 1], `h1` uniform on [0, 1], step size 0.02, a chance to exploit every
/// 4 steps, exploring by perturbing by 0.8 or 1.2. (`quadraticExperiment` writes an experiment
/// file of a slower variant for the tests that run `pbt`.)
///
/// - Parameters:
///   - name: the experiment's name.
///   - members: how many members.
///   - steps: each member's budget of steps.
///   - seed: the experiment's seed.
///   - exploit: how members exploit.
public func quadraticConfig(
    name: String, members: Int = 4, steps: Int, seed: UInt64, exploit: ExploitSpec = .truncation(fraction: 0.25)
) throws -> ExperimentConfig {
    ExperimentConfig(
        name: name, workload: WorkloadSpec(name: "quadratic", options: ["step_size": 0.02]), population: members,
        schedule: try TrainingSchedule(steps: steps, interval: 4), seed: seed, exploit: exploit,
        explore: .perturb(factors: [0.8, 1.2]),
        hyperparameters: ["h0": .logUniform(lower: 0.01, upper: 1), "h1": .uniform(lower: 0, upper: 1)])
}
