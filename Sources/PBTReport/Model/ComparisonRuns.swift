import PBT
import PBTStore

/// The runs of a `pbt compare`: PBT (`BASE.pbt.seedS`) against random search
/// (`BASE.random.seedS`) with the same members and budget, one experiment per arm and seed.
public struct ComparisonRuns: Sendable {
    /// One experiment of the comparison.
    public struct Run: Sendable {
        /// `pbt` or `random`.
        public var arm: String
        /// The experiment's name.
        public var name: String
        /// The population's best score at each ready step, by step.
        public var bestByStep: [(step: Int, score: Double)]
        /// The best member's latest score.
        public var finalBest: Double?
    }

    /// The name both arms share, e.g. `quadratic` for `quadratic.pbt.seed0`.
    public var base: String
    /// Whether higher or lower scores are better.
    public var mode: ScoreMode
    /// Every run, PBT first, each arm by name.
    public var runs: [Run]

    /// The name the comparison of `name` would use: `X` for `X.pbt.seedS` or `X.random.seedS`,
    /// else `name` itself.
    public static func base(of name: String) -> String {
        for arm in [".pbt.seed", ".random.seed"] {
            if let range = name.range(of: arm, options: .backwards),
                !name[range.upperBound...].isEmpty, name[range.upperBound...].allSatisfy(\.isNumber)
            {
                return String(name[..<range.lowerBound])
            }
        }
        return name
    }

    /// Whether `name` belongs to the comparison `base` (and to which arm).
    public static func arm(of name: String, base: String) -> String? {
        for arm in ["pbt", "random"] {
            let prefix = "\(base).\(arm).seed"
            if name.hasPrefix(prefix), !name.dropFirst(prefix.count).isEmpty, name.dropFirst(prefix.count).allSatisfy(\.isNumber) {
                return arm
            }
        }
        return nil
    }

    /// Reads the comparison `name` belongs to from the experiments in `candidates`, or nil when
    /// there is none (no run of either arm).
    /// - Parameter candidates: experiment names and the stores holding them.
    public static func load(for name: String, candidates: [(name: String, store: any PopulationStore)]) async throws -> ComparisonRuns? {
        let base = base(of: name)
        var runs: [Run] = []
        var mode = ScoreMode.max
        for candidate in candidates.sorted(by: { $0.name < $1.name }) {
            guard let arm = arm(of: candidate.name, base: base) else { continue }
            let history = try await ExperimentHistory.load(candidate.name, from: candidate.store)
            mode = history.settings.mode
            var best: [Int: Double] = [:]
            for score in history.scores where !score.score.isNaN {
                if let current = best[score.step], history.fitness(current) >= history.fitness(score.score) { continue }
                best[score.step] = score.score
            }
            let curve = best.keys.sorted().map { (step: $0, score: best[$0]!) }
            runs.append(Run(arm: arm, name: candidate.name, bestByStep: curve, finalBest: history.best?.score))
        }
        guard runs.contains(where: { $0.arm == "pbt" }), runs.contains(where: { $0.arm == "random" }) else { return nil }
        runs.sort { ($0.arm == "pbt" ? 0 : 1, $0.name) < ($1.arm == "pbt" ? 0 : 1, $1.name) }
        return ComparisonRuns(base: base, mode: mode, runs: runs)
    }

    /// The final best scores of one arm.
    public func finals(_ arm: String) -> [Double] {
        runs.filter { $0.arm == arm }.compactMap(\.finalBest)
    }
}
