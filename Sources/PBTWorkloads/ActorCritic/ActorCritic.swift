import Neural
import PBT
import PBTRuntime

/// An advantage actor-critic (A2C) workload on an ``ActorCriticEnvironment``: the engine of
/// ``CartPole`` (`cartpole`) and ``Acrobot`` (`acrobot`).
///
/// The agent runs ``environments`` copies of the environment in lockstep. One training
/// **step** is one unroll of `unroll` environment steps in every copy followed by one update of
/// the policy and value networks, so a step consumes `unroll × environments` environment steps.
///
/// Hyperparameters (all optional; a missing one takes its default):
/// - `lr`: Adam learning rate of both networks, in (0, 1]; default 1e-3.
/// - `entropy`: entropy-bonus coefficient, in [0, 1]; default 0.01.
/// - `gamma`: discount, in [0, 1]; default 0.99.
/// - `horizon`: the discount given as its effective horizon `1 / (1 − gamma)` in steps, in
///   [1, 10⁹] (gamma = 1 − 1/horizon); give `gamma` or `horizon`, not both. Tune this one
///   rather than `gamma`: PBT's perturbation multiplies a value by 0.8 or 1.2 and clamps it to
///   the domain, so in a domain like `gamma: {uniform: [0.9, 0.999]}` every perturbation of a
///   discount lands on a bound, while `horizon: {loguniform: [10, 100]}` moves it by a fifth of
///   its horizon.
/// - `unroll`: environment steps per update (n of the n-step return), integer in 1...512;
///   default 5.
///
/// Score: the mean return of the last 10 training episodes that finished (terminated or
/// truncated at the time limit), with the stochastic training policy — the quantity A3C papers
/// report. Before any episode has finished the score is the environment's
/// ``ActorCriticEnvironment/scoreBeforeFirstEpisode``. Evaluation reads counters only, so it
/// never touches the training generator.
public struct ActorCritic<Environment: ActorCriticEnvironment>: Workload {
    /// Width of each of the two hidden `tanh` layers of the policy and of the value network.
    public let hidden: Int
    /// Number of environments stepped in lockstep per unroll.
    public let environments: Int
    /// Each network's gradient is rescaled to at most this Euclidean norm before its update.
    public let maxGradientNorm: Double

    /// Creates the workload.
    /// - Parameters:
    ///   - hidden: hidden width, 1...1024 (option `hidden`, default 64).
    ///   - environments: parallel environments, 1...256 (option `envs`, default 8).
    ///   - maxGradientNorm: gradient clipping norm, > 0 (option `max_grad_norm`, default 0.5).
    public init(hidden: Int = 64, environments: Int = 8, maxGradientNorm: Double = 0.5) {
        self.hidden = hidden
        self.environments = environments
        self.maxGradientNorm = maxGradientNorm
    }

    /// `lr` (Adam's step for both networks), `entropy` (the entropy bonus's weight), `gamma`
    /// (the discount), `unroll` (environment steps per update), `horizon` (the discount as
    /// `1 / (1 − gamma)`).
    static var ranges: [HyperparameterRange] {
        [
            HyperparameterRange("lr", 1e-12...1, default: 1e-3), HyperparameterRange("entropy", 0...1, default: 0.01),
            HyperparameterRange("gamma", 0...1, default: 0.99),
            HyperparameterRange("unroll", integers: 1...512, default: 5),
            HyperparameterRange("horizon", 1...1e9, default: 100, alternativeTo: "gamma"),
        ]
    }

    /// `lr`, `entropy`, `gamma`, `unroll`, `horizon`.
    public var hyperparameterNames: [String] { Self.ranges.map(\.name) }

    /// See `ranges`.
    public var hyperparameterRanges: [HyperparameterRange] { Self.ranges }

    /// A fresh agent: seeded networks, environments reset, no episodes finished.
    /// - Throws: `WorkloadError` for a bad hyperparameter.
    public func makeTrainable(hyperparameters: Hyperparameters, seed: UInt64) async throws -> any Trainable {
        try makeAgent(hyperparameters: hyperparameters, seed: seed)
    }

    /// A fresh agent, synchronously (for benchmarks and tests).
    /// - Throws: `WorkloadError` for a bad option or hyperparameter.
    public func makeAgent(hyperparameters: Hyperparameters, seed: UInt64) throws -> ActorCriticAgent<Environment> {
        let agent = try ActorCriticAgent(workload: self, seed: seed)
        try agent.apply(hyperparameters)
        return agent
    }

    /// Reads the workload's options: `hidden`, `envs`, `max_grad_norm`.
    static func make(_ options: inout WorkloadOptions) throws -> Self {
        let hidden = try options.integer("hidden", default: 64, in: 1...1024)
        let environments = try options.integer("envs", default: 8, in: 1...256)
        let norm = try options.number("max_grad_norm", default: 0.5, in: 1e-6...1e6)
        return Self(hidden: hidden, environments: environments, maxGradientNorm: norm)
    }
}
