import PBT
import PBTStore

/// The runs of a `pbt compare`: one experiment `BASE.ARM.seedS` per arm (PBT, random search,
/// the best fixed configuration, …) and seed, with the same members and budget.
public struct ComparisonRuns: Sendable {
    /// One experiment of the comparison.
    public struct Run: Sendable {
        /// The arm.
        public var arm: ComparisonArm
        /// The run's seed.
        public var seed: UInt64
        /// The experiment's name.
        public var name: String
        /// The population's best score at each ready step, by step.
        public var bestByStep: [(step: Int, score: Double)]
        /// The best member's latest score.
        public var finalBest: Double?
        /// The training steps the population actually ran (see `StepsRun`).
        public var stepsRun: Int
    }

    /// The name every arm shares, e.g. `quadratic` for `quadratic.pbt.seed0`.
    public var base: String
    /// Whether higher or lower scores are better.
    public var mode: ScoreMode
    /// Every run, by arm (in `ComparisonArm` order), then by seed.
    public var runs: [Run]
    /// The best PBT run's history (by its best member's final score): the winning schedule is
    /// its best member's.
    public var winner: ExperimentHistory?

    /// The name the comparison of `name` would use: `X` for `X.ARM.seedS`, else `name` itself.
    public static func base(of name: String) -> String {
        ComparisonRunName(parsing: name)?.base ?? name
    }

    /// The arm of `name` when it is a run of the comparison `base`, else nil.
    public static func arm(of name: String, base: String) -> ComparisonArm? {
        guard let run = ComparisonRunName(parsing: name), run.base == base else { return nil }
        return run.arm
    }

    /// Reads the comparison `name` belongs to from the experiments in `candidates`, or nil when
    /// there is none (no PBT run and run of another arm).
    /// - Parameters:
    ///   - name: one run's experiment name, `BASE.ARM.seedS`.
    ///   - candidates: experiment names and the stores holding them.
    public static func load(
        for name: String, candidates: [(name: String, store: any PopulationStore)]
    ) async throws -> ComparisonRuns? {
        let base = base(of: name)
        var runs: [Run] = []
        var mode = ScoreMode.max
        var pbtHistories: [(seed: UInt64, history: ExperimentHistory)] = []
        for candidate in candidates {
            guard let run = ComparisonRunName(parsing: candidate.name), run.base == base else { continue }
            let history = try await ExperimentHistory.load(candidate.name, from: candidate.store)
            mode = history.settings.mode
            runs.append(Run(history, name: run))
            if run.arm == .pbt { pbtHistories.append((run.seed, history)) }
        }
        guard runs.contains(where: { $0.arm == .pbt }), runs.contains(where: { $0.arm != .pbt }) else { return nil }
        runs.sort { ($0.arm, $0.seed) < ($1.arm, $1.seed) }
        // The best final score wins; of equals, the lowest seed.
        var winner: ExperimentHistory?
        for (_, history) in pbtHistories.sorted(by: { $0.seed < $1.seed }) {
            guard let score = history.best?.score else { continue }
            if let current = winner?.best?.score, history.fitness(current) >= history.fitness(score) { continue }
            winner = history
        }
        return ComparisonRuns(base: base, mode: mode, runs: runs, winner: winner)
    }

    /// The arms that have runs, in `ComparisonArm` order.
    public var arms: [ComparisonArm] {
        ComparisonArm.allCases.filter { arm in runs.contains { $0.arm == arm } }
    }

    /// The runs of `arm`, by seed.
    public func runs(of arm: ComparisonArm) -> [Run] {
        runs.filter { $0.arm == arm }
    }

    /// Each arm summarised and compared with PBT (see `ArmSummary`).
    public var summaries: [ArmSummary] {
        var byArm: [ComparisonArm: [ArmSummary.Run]] = [:]
        for run in runs {
            byArm[run.arm, default: []].append(
                ArmSummary.Run(seed: run.seed, experiment: run.name, best: run.finalBest, stepsRun: run.stepsRun))
        }
        return ArmSummary.summarise(byArm, mode: mode)
    }
}

extension ComparisonRuns.Run {
    /// The run `name` as its history records it.
    init(_ history: ExperimentHistory, name: ComparisonRunName) {
        var best: [Int: Double] = [:]
        for score in history.scores where !score.score.isNaN {
            if let current = best[score.step], history.fitness(current) >= history.fitness(score.score) { continue }
            best[score.step] = score.score
        }
        self.init(
            arm: name.arm, seed: name.seed, name: name.description,
            bestByStep: best.keys.sorted().map { (step: $0, score: best[$0]!) }, finalBest: history.best?.score,
            stepsRun: StepsRun.total(members: history.members.count, scores: history.scores, events: history.events))
    }
}
