import PBT
import PBTRuntime
import PBTStore
import Testing

/// Every experiment ends, whatever its scores do: a member copies only donors at or past its
/// step, so the ready points stay within N × (steps / interval + 1).
@Suite("Progress is guaranteed")
struct ProgressTests {
    /// The livelock found by fault injection: training diverges, so an earlier step scores
    /// better and members used to copy lagging donors back forever.
    static let diverging = """
        name: diverging
        workload: {name: quadratic, step_size: 0.5}
        population: POPULATION
        steps: 40
        interval: 5
        seed: SEED
        mode: MODE
        exploit: {strategy: STRATEGY}
        explore: perturb
        hyperparameters:
          h0: {uniform: [2.1, 3]}
          h1: {uniform: [2.1, 3]}
        """

    func config(population: Int, seed: Int, mode: String, strategy: String) throws -> ExperimentConfig {
        try ExperimentConfig(
            yaml: Self.diverging.replacingOccurrences(of: "POPULATION", with: "\(population)")
                .replacingOccurrences(of: "SEED", with: "\(seed)").replacingOccurrences(of: "MODE", with: mode)
                .replacingOccurrences(of: "STRATEGY", with: strategy))
    }

    @Test(arguments: [1, 2])
    func divergingAndImprovingScoresEnd(workers: Int) async throws {
        for population in 2...8 {
            for (seed, mode, strategy) in [
                (1, "max", "truncation, fraction: 0.34"), (2, "min", "truncation, fraction: 0.5"),
                (3, "max", "tournament"), (4, "min", "ttest, window: 2"),
            ] {
                let config = try config(population: population, seed: seed, mode: mode, strategy: strategy)
                let store = try await run(config, workers: workers)
                let scores = try await store.scores(of: config.name)
                let members = try await store.members(of: config.name)
                let bound = population * (40 / 5 + 1)
                #expect(scores.count <= bound, "\(population) members, \(mode), \(strategy): \(scores.count) ready points")
                #expect(members.allSatisfy { $0.status == .done })
                let exploits = try await store.events(of: config.name).filter(\.isExploit)
                for event in exploits {
                    #expect(event.donorStep >= event.step, "member \(event.member) at \(event.step) copied step \(event.donorStep)")
                }
            }
        }
    }
}
