import Foundation
import PBT

/// An experiment as its file describes it: workload, population, budget, strategies, domains.
///
/// Its canonical JSON is stored with the experiment; resuming requires the same.
public struct ExperimentConfig: Hashable, Sendable, Codable {
    /// The experiment's name in the store.
    public var name: String
    /// What trains.
    public var workload: WorkloadSpec
    /// The number of members.
    public var population: Int
    /// Budget, ready interval, burn-in and synchrony.
    public var schedule: TrainingSchedule
    /// Whether higher or lower scores are better.
    public var mode: ScoreMode
    /// The experiment seed.
    public var seed: UInt64
    /// Who copies whom.
    public var exploit: ExploitSpec
    /// How copied hyperparameters change.
    public var explore: ExploreSpec
    /// The tuned hyperparameters' domains by name.
    public var hyperparameters: [String: Domain]
    /// Explicit initial hyperparameters for the first members; the rest are drawn from the prior.
    public var initial: [Hyperparameters]
    /// A recorded schedule the members follow instead of exploiting and exploring (written by
    /// `pbt replay`; absent from experiment files and from the stored JSON of other experiments).
    public var replay: ReplaySchedule?
    /// When the experiment ends before its budget (`stop:`); nil (absent from the stored JSON)
    /// when the file has none.
    public var stop: StopRules?

    /// Creates a configuration.
    public init(
        name: String, workload: WorkloadSpec, population: Int, schedule: TrainingSchedule,
        mode: ScoreMode = .max, seed: UInt64 = 0, exploit: ExploitSpec = .truncation(fraction: 0.2),
        explore: ExploreSpec = .perturb(factors: [0.8, 1.2]), hyperparameters: [String: Domain],
        initial: [Hyperparameters] = [], replay: ReplaySchedule? = nil, stop: StopRules? = nil
    ) {
        self.name = name
        self.workload = workload
        self.population = population
        self.schedule = schedule
        self.mode = mode
        self.seed = seed
        self.exploit = exploit
        self.explore = explore
        self.hyperparameters = hyperparameters
        self.initial = initial
        self.replay = replay
        self.stop = stop.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The scheduler this configuration describes.
    /// - Throws: `PBTError` naming the field at fault.
    public func makeScheduler() throws -> Scheduler {
        let space = try SearchSpace(hyperparameters)
        return Scheduler(
            space: space, exploit: try exploit.make(), explore: try explore.make(space: space), schedule: schedule,
            mode: mode, seed: seed, replay: replay)
    }

    /// Every member's initial hyperparameters: the explicit ones, then draws from the prior.
    public func initialHyperparameters(using scheduler: Scheduler) throws -> [Hyperparameters] {
        guard initial.count <= population else {
            throw PBTError.invalidSetting("initial", "lists \(initial.count) members but population is \(population)")
        }
        for (index, values) in initial.enumerated() {
            try scheduler.space.validate(values, context: "initial[\(index)]")
        }
        return (0..<population).map { $0 < initial.count ? initial[$0] : scheduler.initialHyperparameters(member: $0) }
    }

    /// The canonical JSON text stored with the experiment (sorted keys).
    public func canonicalJSON() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}

/// What trains: a built-in workload and its options, or an external program (`command`).
public struct WorkloadSpec: Hashable, Sendable, Codable {
    /// The built-in workload's name, e.g. `quadratic`; `command` for an external program.
    public var name: String
    /// Workload options, e.g. `hidden: 128`.
    public var options: [String: HyperparameterValue]
    /// The external program, when the file says `workload: {command: [...]}`.
    public var command: CommandSpec?

    /// Creates a spec of a built-in workload.
    public init(name: String, options: [String: HyperparameterValue] = [:]) {
        self.name = name
        self.options = options
    }

    /// Creates a spec of an external program.
    public init(command: CommandSpec) {
        self.name = "command"
        self.options = [:]
        self.command = command
    }

    /// How many times a member may fail and restart from its last checkpoint before it is
    /// marked failed: the command's `max_failures`, else `CommandSpec.defaultMaxFailures`.
    public var maxFailures: Int { command?.maxFailures ?? CommandSpec.defaultMaxFailures }
}

/// An exploit strategy as written in an experiment file.
public indirect enum ExploitSpec: Hashable, Sendable, Codable {
    /// `truncation`, with `fraction`.
    case truncation(fraction: Double)
    /// `ttest`, with `window` and `alpha`.
    case ttest(window: Int, alpha: Double)
    /// `tournament`.
    case tournament
    /// `none`: parallel random search.
    case none
    /// Another strategy with `keep_improving: {window, alpha}` (see `KeepImproving`).
    case keepImproving(ExploitSpec, window: Int, alpha: Double)

    /// The strategy.
    public func make() throws -> any ExploitStrategy {
        switch self {
        case .truncation(let fraction): try Truncation(fraction: fraction)
        case .ttest(let window, let alpha): try TTestSelection(window: window, alpha: alpha)
        case .tournament: Tournament()
        case .none: NoExploit()
        case .keepImproving(let base, let window, let alpha):
            try KeepImproving(base.make(), window: window, alpha: alpha)
        }
    }
}

/// An explore strategy as written in an experiment file.
public enum ExploreSpec: Hashable, Sendable, Codable {
    /// `perturb`, with `factors`.
    case perturb(factors: [Double])
    /// `resample`, with `probability` and `factors`.
    case resample(probability: Double, factors: [Double])
    /// `pb2`: Population Based Bandits' GP-UCB suggestion, with its settings.
    case pb2(PB2Settings)
    /// `none`: keep the donor's hyperparameters.
    case none

    /// The strategy for `space`.
    /// - Throws: `PBTError` naming the field at fault (for `pb2`: a setting, or a space with
    ///   nothing to tune; unordered choices are PB2-Mix's).
    public func make(space: SearchSpace) throws -> any ExploreStrategy {
        switch self {
        case .perturb(let factors): try Perturb(factors: factors)
        case .resample(let probability, let factors): try Resample(probability: probability, factors: factors)
        case .pb2(let settings):
            try PB2(
                space: space, maximumRows: settings.maximumRows, minimumWindow: settings.minimumWindow,
                windowStep: settings.windowStep, fitRows: settings.fitRows ?? settings.minimumWindow,
                fitStarts: settings.fitStarts,
                acquisitionStarts: settings.acquisitionStarts, trustRegion: settings.trustRegion ?? 1)
        case .none: NoExplore()
        }
    }
}

/// PB2's settings as written in an experiment file (`explore: {strategy: pb2, …}`); the
/// defaults are Ray Tune's (see `PB2`) but for the trust region.
public struct PB2Settings: Hashable, Sendable, Codable {
    /// `maximum_rows`: the most observations the GP learns from, newest first.
    public var maximumRows = 1000
    /// `minimum_window`: below this many observations the GP uses all; above, the shortest
    /// window tried.
    public var minimumWindow = 200
    /// `window_step`: the spacing of the window lengths tried.
    public var windowStep = 10
    /// `fit_rows`: from `minimum_window` observations on, the kernel is fitted on the newest
    /// `min(fit_rows, minimum_window)` (see `PB2.fitRows`); nil is `minimum_window`, which is
    /// also what a configuration stored before this setting existed reads as, so it resumes as
    /// it ran; a file that says `fit_rows` at or above `minimum_window` stores the same.
    public var fitRows: Int? = PB2.defaultFitRows
    /// `fit_starts`: starts of the kernel fit.
    public var fitStarts = 3
    /// `acquisition_starts`: seeded random starts of the UCB maximisation.
    public var acquisitionStarts = 10
    /// `trust_region`: how far a suggestion may lie from the configuration explored from, in
    /// each coordinate of the encoded domains, in (0, 1); nil is 1, anywhere in them (Ray
    /// Tune). Nil is also what a configuration stored before this setting existed reads as, so
    /// it resumes as it ran; a file that says `trust_region: 1` stores the same.
    public var trustRegion: Double? = PB2Settings.defaultTrustRegion

    /// The trust region of a file that does not set one: at 4 members it kept PB2 from
    /// jumping to the domains' corners, and PB2's median was at least PBT's in ten of twelve
    /// domain-and-seed-set comparisons, nine of twelve with the GAN example's exploit and
    /// explore since 4 December 2026 (README, "PB2 on small populations").
    public static let defaultTrustRegion = 0.1

    /// The file's names of the settings, with their key paths.
    static let fields: [(name: String, path: any WritableKeyPath<PB2Settings, Int> & Sendable)] = [
        ("maximum_rows", \.maximumRows), ("minimum_window", \.minimumWindow), ("window_step", \.windowStep),
        ("fit_starts", \.fitStarts), ("acquisition_starts", \.acquisitionStarts),
    ]

    /// The defaults: Ray Tune's settings, `PB2.defaultFitRows` and `defaultTrustRegion`.
    public init() {}
}
