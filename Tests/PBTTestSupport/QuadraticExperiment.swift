/// How the experiments that `quadraticExperiment` writes explore.
public enum QuadraticExplore: Sendable {
    /// `resample` with probability 0.25, else perturb by 0.8 or 1.2.
    case resample
    /// `perturb` by 0.8 or 1.2.
    case perturb

    /// The `explore:` value of the experiment file.
    var yaml: String {
        switch self {
        case .resample: "{strategy: resample, probability: 0.25, factors: [0.8, 1.2]}"
        case .perturb: "{strategy: perturb, factors: [0.8, 1.2]}"
        }
    }
}

/// The text of an experiment file for the built-in quadratic workload: hyperparameters `h0`
/// and `h1` uniform on [0, 1], truncation selection of the best and worst quarter.
///
/// - Parameters:
///   - name: the experiment's name.
///   - population: how many members.
///   - steps: each member's budget of steps.
///   - interval: the steps between two chances to exploit (the text holds `interval: N`, which
///     a test may replace).
///   - seed: the experiment's seed.
///   - stepSize: the workload's `step_size`.
///   - explore: how members explore.
public func quadraticExperiment(
    name: String, population: Int, steps: Int, interval: Int = 4, seed: Int = 7, stepSize: Double = 0.0001,
    explore: QuadraticExplore = .resample
) -> String {
    """
    name: \(name)
    workload: {name: quadratic, step_size: \(stepSize)}
    population: \(population)
    steps: \(steps)
    interval: \(interval)
    seed: \(seed)
    exploit: {strategy: truncation, fraction: 0.25}
    explore: \(explore.yaml)
    hyperparameters:
      h0: {uniform: [0, 1]}
      h1: {uniform: [0, 1]}

    """
}
