import Neural

/// How an environment step ended.
public enum EpisodeOutcome: Sendable, Hashable {
    /// The episode goes on.
    case running
    /// The episode reached a terminal state (no bootstrapping past it).
    case terminated
    /// The time limit was reached in a non-terminal state (bootstrap from its value).
    case truncated
}

/// An episodic environment with a small discrete action set, played by ``ActorCriticAgent``.
///
/// The agent keeps a fixed number of environments, resets one when its episode ends, and sees
/// only what this protocol exposes: the observation as `Float`s, the outcome and reward of each
/// step, and the state to save in a checkpoint.
public protocol ActorCriticEnvironment: Sendable {
    /// The workload's name, used in messages (`cartpole`).
    static var workloadName: String { get }
    /// The checkpoint's 4-byte tag (`CPOL`); the agent writes it, then its format version.
    static var checkpointTag: StaticString { get }
    /// Floats per observation.
    static var observationSize: Int { get }
    /// Number of discrete actions, numbered `0..<actionCount`; at least 2.
    static var actionCount: Int { get }
    /// Number of `Double`s in ``state``.
    static var stateSize: Int { get }
    /// The time limit: the step count at which an episode is truncated.
    static var maxSteps: Int { get }
    /// The score reported before any training episode has finished: the worst return an episode
    /// can have, or the value the workload documents.
    static var scoreBeforeFirstEpisode: Double { get }

    /// Creates an environment in the given state (``stateSize`` values) after `steps` steps.
    init(state: [Double], steps: Int)

    /// The physical state, ``stateSize`` values (what a checkpoint saves).
    var state: [Double] { get }
    /// Steps taken in this episode.
    var steps: Int { get }

    /// Starts a new episode with a state drawn from `rng`.
    mutating func reset(using rng: inout NeuralRNG)
    /// Applies `action` (in `0..<actionCount`) and advances one step.
    mutating func step(_ action: Int) -> EpisodeOutcome
    /// Writes the observation, ``observationSize`` floats, to `destination`.
    func observe(into destination: UnsafeMutablePointer<Float>)
    /// The reward of a step that ended with `outcome`.
    static func reward(_ outcome: EpisodeOutcome) -> Float
    /// The undiscounted return of the episode that just ended with `outcome` after ``steps``
    /// steps.
    func episodeReturn(_ outcome: EpisodeOutcome) -> Double
    /// Why `state` cannot be restored from a checkpoint, or `nil` when it can.
    static func problem(restoring state: [Double]) -> String?
}

extension ActorCriticEnvironment {
    /// Any state can be restored.
    public static func problem(restoring state: [Double]) -> String? { nil }
}
