/// When an experiment ends before every member reaches its budget (`stop:` in an experiment
/// file); any combination of the three rules, the first one met ends the run.
///
/// A rule ends the **whole experiment**, not one member: in PBT the population converges on its
/// best members by copying them, so stopping only the member that reached a target would have
/// the others copy it and stop one by one, spending compute for nothing. (Ray Tune stops trials
/// because its trials are independent.) Members keep their last checkpoint and score.
public struct StopRules: Hashable, Sendable, Codable {
    /// `score`: the experiment ends when a member's score reaches this target (at or above it,
    /// or at or below it with `mode: min`); as reported.
    public var score: Double?
    /// `seconds`: the experiment's wall-time budget, counted over the time its workers ran (a
    /// resume continues from the time recorded with the last commit, not from the creation).
    public var seconds: Double?
    /// `plateau`: the experiment ends when the population's best score has not improved.
    public var plateau: Plateau?

    /// The `plateau` rule: the population's best score has not improved by `minDelta` over the
    /// last `window` ready points (of any members).
    ///
    /// The best is the first score, then any score that beats it by at least `minDelta` (and
    /// strictly); the experiment ends once `window` ready points in a row have not (Keras's
    /// `EarlyStopping` with `patience`, counted in ready points of the whole population).
    public struct Plateau: Hashable, Sendable, Codable {
        /// How many ready points without improvement end the experiment (≥ 1).
        public var window: Int
        /// The smallest improvement that counts (≥ 0; 0: any strict improvement).
        public var minDelta: Double

        /// Creates a validated rule.
        /// - Throws: `PBTError` naming `stop.plateau.window` or `stop.plateau.min_delta`.
        public init(window: Int, minDelta: Double = 0) throws {
            guard window >= 1 else {
                throw PBTError.invalidSetting(
                    "stop.plateau.window", "must be an integer ≥ 1 (ready points), got \(window)")
            }
            guard minDelta.isFinite, minDelta >= 0 else {
                throw PBTError.invalidSetting("stop.plateau.min_delta", "must be a finite number ≥ 0, got \(minDelta)")
            }
            self.window = window
            self.minDelta = minDelta
        }
    }

    /// Creates validated rules.
    /// - Throws: `PBTError` naming `stop.score` (not finite) or `stop.seconds` (not finite, or
    ///   not > 0).
    public init(score: Double? = nil, seconds: Double? = nil, plateau: Plateau? = nil) throws {
        if let score, !score.isFinite {
            throw PBTError.invalidSetting("stop.score", "must be a finite number (the target score), got \(score)")
        }
        if let seconds, !(seconds.isFinite && seconds > 0) {
            throw PBTError.invalidSetting("stop.seconds", "must be a finite number of seconds > 0, got \(seconds)")
        }
        self.score = score
        self.seconds = seconds
        self.plateau = plateau
    }

    /// Whether no rule is set.
    public var isEmpty: Bool { score == nil && seconds == nil && plateau == nil }
}

/// What ended an experiment before its budget, as a value.
public enum StopReason: Hashable, Sendable {
    /// A member's score reached the target.
    case score(target: Double, member: Int, step: Int, score: Double)
    /// The wall-time budget ran out after `elapsed` seconds.
    case seconds(budget: Double, elapsed: Double)
    /// The best score did not improve by `minDelta` over `window` ready points.
    case plateau(window: Int, minDelta: Double, best: Double)

    /// The rule's name in an experiment file and in a store: `score`, `seconds` or `plateau`.
    public var rule: String {
        switch self {
        case .score: "score"
        case .seconds: "seconds"
        case .plateau: "plateau"
        }
    }

    /// One line for people, e.g. `member 3 reached the target score 0.95 at step 400 (0.953)`.
    public var detail: String {
        switch self {
        case .score(let target, let member, let step, let score):
            "member \(member) reached the target score \(target) at step \(step) (\(score))"
        case .seconds(let budget, let elapsed):
            "the wall-time budget of \(budget) s ran out (\(Double(Int(elapsed * 10)) / 10) s)"
        case .plateau(let window, let minDelta, let best):
            "the best score (\(best)) did not improve by \(minDelta) over the last \(window) ready points"
        }
    }
}

/// The stopping rules' state over the experiment's ready points, in commit order: a fold, so
/// that the same recorded scores always give the same answer (a resume folds the stored
/// history again and reaches the same state).
public struct StopMonitor: Hashable, Sendable {
    /// The rules.
    public let rules: StopRules
    /// Whether higher or lower scores are better.
    public let mode: ScoreMode
    /// The best score so far that counted as an improvement (oriented: higher is better).
    private var best: Double?
    /// Ready points since `best` was set.
    private var sinceImprovement = 0
    /// How many ready points were folded.
    public private(set) var readyPoints = 0

    /// Creates a monitor that has seen no ready point.
    public init(rules: StopRules, mode: ScoreMode) {
        self.rules = rules
        self.mode = mode
    }

    /// Folds the next ready point; returns the rule it meets (`score` before `plateau`), if any.
    /// - Complexity: O(1).
    public mutating func record(member: Int, step: Int, score: Double) -> StopReason? {
        readyPoints += 1
        let fitness = mode.fitness(score)
        if let target = rules.score, fitness >= mode.fitness(target) {
            return .score(target: target, member: member, step: step, score: score)
        }
        guard let plateau = rules.plateau else { return nil }
        if let current = best, !(fitness > current && fitness - current >= plateau.minDelta) {
            sinceImprovement += 1
        } else {
            best = fitness
            sinceImprovement = 0
        }
        guard sinceImprovement >= plateau.window, let best else { return nil }
        return .plateau(window: plateau.window, minDelta: plateau.minDelta, best: mode.fitness(best))
    }

    /// The `seconds` rule after `elapsed` seconds of the experiment's run time.
    public func timeUp(elapsed: Double) -> StopReason? {
        guard let budget = rules.seconds, elapsed >= budget else { return nil }
        return .seconds(budget: budget, elapsed: elapsed)
    }
}
