/// One arm of a comparison summarised: its runs, the median, mean, min and max of their best
/// final scores, the training steps they actually ran and, for arms other than PBT, where PBT
/// stands against it. What `pbt compare` prints and the report's comparison table shows.
public struct ArmSummary: Sendable, Codable, Hashable {
    /// One run (one arm, one seed).
    public struct Run: Sendable, Codable, Hashable {
        /// The run's seed.
        public var seed: UInt64
        /// The run's experiment name, `BASE.ARM.seedS`.
        public var experiment: String
        /// The best member's final score, as reported; nil when no member has a score.
        public var best: Double?
        /// The training steps the population actually ran, repeats after exploits included
        /// (see `StepsRun`).
        public var stepsRun: Int

        /// Creates a run.
        public init(seed: UInt64, experiment: String, best: Double?, stepsRun: Int) {
            self.seed = seed
            self.experiment = experiment
            self.best = best
            self.stepsRun = stepsRun
        }
    }

    /// The arm.
    public var arm: ComparisonArm
    /// The median of the runs' best final scores (a run without a score counts as the mode's
    /// worst); nil without runs.
    public var median: Double?
    /// The mean, as `median`.
    public var mean: Double?
    /// The smallest, as `median`.
    public var min: Double?
    /// The largest, as `median`.
    public var max: Double?
    /// The training steps all runs of the arm actually ran.
    public var stepsRun: Int
    /// How many more (positive) or fewer steps than the PBT arm ran, in percent of PBT's; nil
    /// for PBT itself or without a PBT arm.
    public var stepsVersusPBTPercent: Double?
    /// PBT against this arm; nil for PBT itself or without a PBT arm.
    public var versusPBT: VersusPBT?
    /// The runs, by seed.
    public var runs: [Run]

    /// Summarises each arm's runs and compares every other arm with PBT.
    /// - Parameters:
    ///   - runs: each arm's runs.
    ///   - mode: whether higher or lower scores are better.
    /// - Returns: one summary per arm, in `ComparisonArm` order (PBT first).
    public static func summarise(_ runs: [ComparisonArm: [Run]], mode: ScoreMode) -> [ArmSummary] {
        var arms = runs.keys.sorted().map {
            ArmSummary(arm: $0, runs: runs[$0]!.sorted { $0.seed < $1.seed }, mode: mode)
        }
        guard let pbt = arms.first(where: { $0.arm == .pbt }) else { return arms }
        for index in arms.indices where arms[index].arm != .pbt {
            arms[index].versusPBT = VersusPBT(pbt: pbt.finals(mode), other: arms[index].finals(mode), mode: mode)
            if pbt.stepsRun > 0 {
                arms[index].stepsVersusPBTPercent =
                    Double(arms[index].stepsRun - pbt.stepsRun) / Double(pbt.stepsRun) * 100
            }
        }
        return arms
    }

    private init(arm: ComparisonArm, runs: [Run], mode: ScoreMode) {
        self.arm = arm
        self.runs = runs
        let summary = SampleSummary(runs.map { $0.best ?? mode.worstScore })
        (median, mean, min, max) = (summary?.median, summary?.mean, summary?.min, summary?.max)
        stepsRun = runs.reduce(0) { $0 + $1.stepsRun }
    }

    /// Each run's best final score by seed (a run without a score counts as the worst).
    public func finals(_ mode: ScoreMode) -> [UInt64: Double] {
        Dictionary(runs.map { ($0.seed, $0.best ?? mode.worstScore) }, uniquingKeysWith: { first, _ in first })
    }
}
