import PBT
import PBTStore

/// The outcome of a comparison (what `pbt compare --json` prints): the settings shared by every
/// run, each arm's summary (see `ArmSummary`), the fixed arm's configuration and the time taken.
public struct ComparisonSummary: Sendable, Codable {
    /// The compared experiment's name.
    public var experiment: String
    /// Whether higher or lower scores are better.
    public var mode: ScoreMode
    /// The seeds, one run per arm each.
    public var seeds: [UInt64]
    /// Members per run.
    public var population: Int
    /// Each member's budget in steps.
    public var steps: Int
    /// Every arm, PBT first.
    public var arms: [ArmSummary]
    /// The configuration the `fixed` arm ran, when it ran.
    public var fixedConfiguration: FixedConfiguration?
    /// Wall-clock seconds the comparison took.
    public var seconds: Double

    /// Collects the arms' runs of `config` and compares every other arm with PBT.
    public init(
        config: ExperimentConfig, seeds: [UInt64], runs: [ComparisonArm: [ArmSummary.Run]], fixed: FixedConfiguration?,
        seconds: Double
    ) {
        experiment = config.name
        mode = config.mode
        self.seeds = seeds
        population = config.population
        steps = config.schedule.steps
        arms = ArmSummary.summarise(runs, mode: config.mode)
        fixedConfiguration = fixed
        self.seconds = seconds
    }
}

extension ArmSummary.Run {
    /// Reads the run `experiment` from `store`: its best member's final score and the steps
    /// its population actually ran.
    public init(experiment: String, seed: UInt64, store: any PopulationStore, mode: ScoreMode) async throws {
        let members = try await store.members(of: experiment)
        let scores = try await store.scores(of: experiment)
        let events = try await store.events(of: experiment)
        self.init(
            seed: seed, experiment: experiment, best: members.best(by: mode)?.score,
            stepsRun: StepsRun.total(members: members.count, scores: scores, events: events))
    }
}
