import PBT
import PBTStore

/// The best fixed configuration of a comparison: the hyperparameters of the single best member
/// (by final score) over all random-search runs, a random search of N × seeds configurations
/// whose total budget equals the whole PBT arm's.
public struct FixedConfiguration: Sendable, Codable, Hashable {
    /// The hyperparameters every member of the `fixed` arm starts with and keeps.
    public var hyperparameters: Hyperparameters
    /// The random-search run it came from.
    public var experiment: String
    /// The member's slot in that run.
    public var member: Int
    /// The member's final score there, as reported.
    public var score: Double

    /// Creates a configuration.
    public init(hyperparameters: Hyperparameters, experiment: String, member: Int, score: Double) {
        self.hyperparameters = hyperparameters
        self.experiment = experiment
        self.member = member
        self.score = score
    }

    /// The best member over `experiments` (in order; the first of equals wins), or nil when no
    /// member of any has a score.
    /// - Parameters:
    ///   - experiments: the random-search runs, in seed order.
    ///   - store: the store holding them.
    ///   - mode: whether higher or lower scores are better.
    public static func best(
        of experiments: [String], in store: any PopulationStore, mode: ScoreMode
    ) async throws
        -> FixedConfiguration?
    {
        var best: FixedConfiguration?
        for experiment in experiments {
            guard let top = try await store.members(of: experiment).best(by: mode), let score = top.score else {
                continue
            }
            if let current = best, mode.fitness(current.score) >= mode.fitness(score) { continue }
            // Random search never changes a member's hyperparameters: these trained all its steps.
            best = FixedConfiguration(
                hyperparameters: top.initialHyperparameters, experiment: experiment, member: top.slot, score: score)
        }
        return best
    }
}
