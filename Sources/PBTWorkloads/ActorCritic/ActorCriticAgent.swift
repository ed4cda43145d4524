import Neural
import PBT
import PBTRuntime

/// One member of an ``ActorCritic`` workload: policy and value networks, their Adam
/// optimizers, the environments and the training generator (see ``ActorCritic`` for the
/// algorithm and the score). ``CartPoleAgent`` and ``AcrobotAgent`` are its two instances.
///
/// All training randomness (environment resets, action sampling) comes from one generator
/// seeded by the member's seed and saved in every checkpoint.
public final class ActorCriticAgent<Environment: ActorCriticEnvironment>: Trainable {
    /// The episodes whose mean is the score.
    static var scoredEpisodes: Int { 10 }

    let workload: ActorCritic<Environment>
    var policy: MLP
    var value: MLP
    var policyOptimizer: Adam
    var valueOptimizer: Adam
    var rng: NeuralRNG
    var environments: [Environment]
    /// Returns of the last ``scoredEpisodes`` finished episodes, a ring indexed by `finished`.
    var recentReturns: [Double]
    /// Episodes finished since creation.
    var finishedEpisodes = 0
    /// Updates applied since creation.
    public internal(set) var updates = 0

    var entropyCost: Float = 0.01
    var discount: Float = 0.99
    var unroll = 5
    let buffers = RolloutBuffers()

    init(workload: ActorCritic<Environment>, seed: UInt64) throws {
        self.workload = workload
        var seeder = NeuralRNG(seed: seed)
        let (h, inputs, actions) = (workload.hidden, Environment.observationSize, Environment.actionCount)
        do {
            policy = try MLP(
                sizes: [inputs, h, h, actions], activations: [.tanh, .tanh, .identity], seed: seeder.next())
            value = try MLP(sizes: [inputs, h, h, 1], activations: [.tanh, .tanh, .identity], seed: seeder.next())
        } catch {
            throw WorkloadError("\(Environment.workloadName): cannot build the networks: \(error.message)")
        }
        policyOptimizer = Adam(parameterCount: policy.parameterCount)
        valueOptimizer = Adam(parameterCount: value.parameterCount)
        rng = NeuralRNG(seed: seeder.next())
        environments = []
        for _ in 0..<workload.environments {
            var environment = Environment(state: [Double](repeating: 0, count: Environment.stateSize), steps: 0)
            environment.reset(using: &rng)
            environments.append(environment)
        }
        recentReturns = [Double](repeating: 0, count: Self.scoredEpisodes)
    }

    /// Reads `lr`, `entropy`, `gamma` or `horizon`, and `unroll` (see ``ActorCritic``).
    /// - Throws: `WorkloadError` naming a bad or unknown hyperparameter.
    public func apply(_ hyperparameters: Hyperparameters) throws {
        var reader = HyperparameterReader(hyperparameters, workload: Environment.workloadName)
        let ranges = ActorCritic<Environment>.ranges
        let lr = try reader.number(ranges[0])
        let entropy = try reader.number(ranges[1])
        let unroll = try reader.integer(ranges[3])
        var gamma = try reader.number(ranges[2])
        if hyperparameters["horizon"] != nil {
            guard hyperparameters["gamma"] == nil else {
                throw WorkloadError(
                    "\(Environment.workloadName): hyperparameters gamma and horizon both set the discount")
            }
            gamma = 1 - 1 / (try reader.number(ranges[4]))
        }
        try reader.finish()
        policyOptimizer.learningRate = Float(lr)
        valueOptimizer.learningRate = Float(lr)
        entropyCost = Float(entropy)
        discount = Float(gamma)
        self.unroll = unroll
        buffers.reserve(
            unroll: unroll, environments: environments.count, observationSize: Environment.observationSize,
            actionCount: Environment.actionCount)
    }

    /// Trains `steps` steps; each is one unroll of every environment and one update.
    ///
    /// Specialised for the built-in environments: a member is called through `any Trainable`,
    /// where the generic code would reach every environment step through a witness table.
    /// - Complexity: O(steps × unroll × environments × network size); no allocation once the
    ///   buffers fit the unroll length.
    @_specialize(where Environment == CartPoleEnvironment)
    @_specialize(where Environment == AcrobotEnvironment)
    public func train(steps: Int) throws {
        for _ in 0..<max(steps, 0) {
            rollout()
            update()
            updates += 1
        }
    }

    /// The mean return of the last 10 finished training episodes (the environment's
    /// ``ActorCriticEnvironment/scoreBeforeFirstEpisode`` before the first ends).
    public func evaluate() -> Double {
        let count = min(finishedEpisodes, Self.scoredEpisodes)
        guard count > 0 else { return Environment.scoreBeforeFirstEpisode }
        return recentReturns[0..<count].reduce(0, +) / Double(count)
    }

    /// The score, with `episodes` (finished since the member was created) and `updates`
    /// (actor-critic updates so far).
    public func evaluation() -> Evaluation {
        Evaluation(
            score: evaluate(), metrics: Metrics(["episodes": Double(finishedEpisodes), "updates": Double(updates)]))
    }

    /// Episodes finished since the member was created (carried through checkpoints).
    public var episodes: Int { finishedEpisodes }

    /// Records a finished episode's return.
    func finishEpisode(return episodeReturn: Double) {
        recentReturns[finishedEpisodes % Self.scoredEpisodes] = episodeReturn
        finishedEpisodes += 1
    }
}
