import Foundation
import PBT
import PBTStore

/// One experiment run by several arms (PBT, random search, the best fixed configuration) over
/// several seeds, with equal budgets: every run has the same members, steps and trainable seeds.
///
/// Each run is an experiment of its own in the store, named `NAME.ARM.seedS`, so it can be
/// inspected, reported and resumed like any other. Arms run in stages: first every arm without
/// prerequisites, seed by seed; then the arms that need their results (`fixed` needs every
/// random-search run).
public struct Comparison: Sendable {
    /// How far a comparison has got, reported before each run and once at the end.
    public struct Progress: Sendable {
        /// Runs finished (or found finished in the store).
        public var done: Int
        /// Runs in the whole comparison.
        public var total: Int
        /// The run starting now; nil at the end.
        public var running: String?

        /// `7/30 runs done, 1m12s elapsed, ~3m40s left (running digits.random.seed3)`: the time
        /// left assumes each remaining run takes as long as the finished ones did on average.
        public func line(elapsed: Double) -> String {
            var line = "\(done)/\(total) runs done, \(PBTRuntime.Progress.duration(elapsed)) elapsed"
            if done > 0, done < total {
                line += ", ~\(PBTRuntime.Progress.duration(elapsed / Double(done) * Double(total - done))) left"
            }
            return line + (running.map { " (running \($0))" } ?? "")
        }
    }

    /// The experiment every arm runs.
    public let config: ExperimentConfig
    /// The seeds, one run per arm each.
    public let seeds: [UInt64]
    /// The arms, in `ComparisonArm` order (PBT first).
    public let arms: [ComparisonArm]

    /// Creates a comparison of `config` over `count` seeds from `firstSeed` (default: the
    /// file's seed).
    /// - Throws: `ComparisonError.invalidSetting` when `count` < 1, when the seeds would pass
    ///   the largest seed, when `arms` lacks `pbt` or an arm's prerequisite or names one twice,
    ///   or when the file's exploit is `none` (PBT would be random search itself).
    public init(
        config: ExperimentConfig, firstSeed: UInt64? = nil, seeds count: Int,
        arms: [ComparisonArm] = ComparisonArm.defaults
    )
        throws
    {
        guard count >= 1 else {
            throw ComparisonError(.invalidSetting, "--seeds must be at least 1, got \(count)")
        }
        let first = firstSeed ?? config.seed
        guard UInt64(count - 1) <= UInt64.max - first else {
            throw ComparisonError(
                .invalidSetting, "--first-seed \(first) with --seeds \(count) passes the largest seed \(UInt64.max)")
        }
        guard config.exploit != .none else {
            throw ComparisonError(
                .invalidSetting,
                "experiment '\(config.name)' has exploit: none, so its PBT arm would be random search compared with "
                    + "itself; "
                    + "set exploit to truncation, ttest or tournament")
        }
        guard Set(arms).count == arms.count else {
            throw ComparisonError(
                .invalidSetting, "--arms names an arm twice: \(arms.map(\.rawValue).joined(separator: ","))")
        }
        guard arms.contains(.pbt) else {
            throw ComparisonError(
                .invalidSetting,
                "--arms must include pbt (every other arm is compared with it); allowed: \(ComparisonArm.allowedNames)")
        }
        for arm in arms {
            for needed in arm.prerequisites where !arms.contains(needed) {
                throw ComparisonError(
                    .invalidSetting,
                    """
                    --arms: \(arm.rawValue) needs \(needed.rawValue) (add it, e.g. \
                    --arms \((arms + [needed]).sorted().map(\.rawValue).joined(separator: ",")))
                    """
                )
            }
        }
        self.config = config
        self.seeds = (0..<UInt64(count)).map { first + $0 }
        self.arms = arms.sorted()
    }

    /// The number of runs: arms × seeds.
    public var totalRuns: Int { arms.count * seeds.count }

    /// The experiment name of `arm`'s run on `seed`.
    public func name(_ arm: ComparisonArm, seed: UInt64) -> String {
        ComparisonRunName(base: config.name, arm: arm, seed: seed).description
    }

    /// The arms in the order they run: stage by stage, an arm after every arm it needs.
    var stages: [[ComparisonArm]] {
        var stage: [ComparisonArm: Int] = [:]
        func depth(_ arm: ComparisonArm) -> Int {
            if let known = stage[arm] { return known }
            let value = arm.prerequisites.map { depth($0) + 1 }.max() ?? 0
            stage[arm] = value
            return value
        }
        let depths = arms.map(depth)
        return (0...(depths.max() ?? 0)).map { level in arms.filter { stage[$0] == level } }
    }

    /// Runs (or resumes) every arm and seed in `store` and collects the result.
    ///
    /// Up to `concurrentRuns` runs train at once, each with one worker, so every run is
    /// reproducible bit for bit (a run's decisions depend on the order of its commits, which
    /// one worker fixes) while all cores are used.
    /// - Parameters:
    ///   - store: the store every run is created (or resumed) in.
    ///   - storeCalls: where the runs' workers call the store (see `StoreCalls`).
    ///   - concurrentRuns: runs trained at the same time, at least 1.
    ///   - workload: makes the workload of one run's configuration.
    ///   - progress: called before each run starts and once at the end.
    public func run(
        store: any PopulationStore, storeCalls: StoreCalls = .onStoreExecutor, concurrentRuns: Int,
        workload: (ExperimentConfig) throws -> any Workload, progress: (Progress) -> Void = { _ in }
    ) async throws -> ComparisonSummary {
        let start = ContinuousClock.now
        var runs: [ComparisonArm: [ArmSummary.Run]] = [:]
        var fixed: FixedConfiguration?
        var done = 0
        for stage in stages {
            if stage.contains(.fixed) {
                fixed = try await FixedConfiguration.best(
                    of: seeds.map { name(.random, seed: $0) }, in: store, mode: config.mode)
            }
            let variants = try seeds.flatMap { seed in
                try stage.map { (arm: $0, config: try $0.configuration(of: config, seed: seed, fixed: fixed)) }
            }
            var finished = [ArmSummary.Run?](repeating: nil, count: variants.count)
            try await withThrowingTaskGroup(of: (Int, ArmSummary.Run).self) { group in
                var next = 0
                func startNext() throws {
                    let (index, variant) = (next, variants[next].config)
                    let workload = try workload(variant)
                    let mode = config.mode
                    next += 1
                    progress(Progress(done: done, total: totalRuns, running: variant.name))
                    group.addTask {
                        let runner = try LocalRunner(
                            config: variant, store: store, workload: workload, storeCalls: storeCalls)
                        try await runner.run(workers: 1)
                        return (
                            index,
                            try await ArmSummary.Run(
                                experiment: variant.name, seed: variant.seed, store: store, mode: mode)
                        )
                    }
                }
                while next < min(max(concurrentRuns, 1), variants.count) { try startNext() }
                while let (index, run) = try await group.next() {
                    finished[index] = run
                    done += 1
                    if next < variants.count { try startNext() }
                }
            }
            for (variant, run) in zip(variants, finished) {
                if let run { runs[variant.arm, default: []].append(run) }
            }
        }
        progress(Progress(done: done, total: totalRuns, running: nil))
        let elapsed = ContinuousClock.now - start
        return ComparisonSummary(
            config: config, seeds: seeds, runs: runs, fixed: fixed,
            seconds: elapsed.seconds)
    }
}
