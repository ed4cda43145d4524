import Foundation
import PBT
import PBTStore

/// PBT against parallel random search with the same members, budget, initial hyperparameter
/// draws and trainable seeds (exploit and explore `none`), over several seeds.
///
/// Each run is an experiment of its own in the store, named `NAME.pbt.seedS` and
/// `NAME.random.seedS`, so it can be inspected, reported and resumed like any other.
public struct Comparison: Sendable {
    /// The final scores of one arm.
    public struct Arm: Sendable, Codable {
        /// `pbt` or `random`.
        public var name: String
        /// The best member's final score of each seed's run, in seed order.
        public var scores: [Double]
        /// The median of `scores`.
        public var median: Double { Self.median(scores) }

        static func median(_ values: [Double]) -> Double {
            let sorted = values.sorted()
            guard !sorted.isEmpty else { return .nan }
            return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
        }
    }

    /// The experiment both arms run.
    public let config: ExperimentConfig
    /// The seeds, one run per arm each.
    public let seeds: [UInt64]

    /// Creates a comparison of `config` over `count` seeds starting at its own seed.
    public init(config: ExperimentConfig, seeds count: Int) {
        self.config = config
        self.seeds = (0..<UInt64(max(1, count))).map { config.seed &+ $0 }
    }

    /// The configuration of one arm and seed.
    public func configuration(arm: String, seed: UInt64) -> ExperimentConfig {
        var variant = config
        variant.name = "\(config.name).\(arm).seed\(seed)"
        variant.seed = seed
        if arm == "random" {
            variant.exploit = .none
            variant.explore = .none
        }
        return variant
    }

    /// Runs (or resumes) every arm and seed in `store` and collects the best final scores.
    /// - Parameter progress: called before each run with the run's configuration.
    public func run(
        store: any PopulationStore, workload: any Workload, workers: Int,
        progress: @Sendable (ExperimentConfig) -> Void = { _ in }
    ) async throws -> (pbt: Arm, random: Arm) {
        var arms = [Arm(name: "pbt", scores: []), Arm(name: "random", scores: [])]
        for seed in seeds {
            for index in arms.indices {
                let variant = configuration(arm: arms[index].name, seed: seed)
                progress(variant)
                try await LocalRunner(config: variant, store: store, workload: workload).run(workers: workers)
                let summary = try await RunSummary(experiment: variant.name, store: store, mode: config.mode)
                arms[index].scores.append(summary.best?.score ?? config.mode.worstScore)
            }
        }
        return (arms[0], arms[1])
    }
}

