/// When members are ready, when they are done, and whether they decide alone or in rounds.
///
/// **Readiness in steps or in seconds.** With `seconds` nil a member is ready every `interval`
/// steps, at multiples of `interval` (the paper's rule; every existing experiment). With
/// `seconds` set (`interval: {seconds: S}`), a member trains step by step until it has trained
/// `seconds` since it was last ready (at least one step, never past `steps`), and is ready at
/// the step it actually reached; `interval` is then `steps`, so the step target of a segment is
/// the budget. The clock decides only *where* a segment ends while it trains: the step reached is
/// what is committed, so once recorded a ready point is a step like any other, and a resume, a
/// replay of the store or a synchronous round reads steps, never times.
public struct TrainingSchedule: Hashable, Sendable, Codable {
    /// The budget: a member is done when its step counter reaches `steps`.
    public var steps: Int
    /// A member is ready after training this many steps since it was last ready.
    public var interval: Int
    /// No exploit or explore before this step (scores are still recorded).
    public var burnIn: Int
    /// All members reach the same ready step, then decide together, best first.
    public var synchronous: Bool
    /// A member is ready after training this many seconds since it was last ready; nil: after
    /// `interval` steps.
    public var seconds: Double?

    /// Creates a validated schedule.
    /// - Throws: `PBTError` naming `steps`, `interval` or `burn_in`.
    public init(steps: Int, interval: Int, burnIn: Int = 0, synchronous: Bool = false) throws {
        guard steps >= 1 else { throw PBTError.invalidSetting("steps", "must be an integer ≥ 1, got \(steps)") }
        guard interval >= 1, interval <= steps else {
            throw PBTError.invalidSetting("interval", "must be an integer in 1...steps (\(steps)), got \(interval)")
        }
        guard burnIn >= 0, burnIn <= steps else {
            throw PBTError.invalidSetting("burn_in", "must be an integer in 0...steps (\(steps)), got \(burnIn)")
        }
        self.steps = steps
        self.interval = interval
        self.burnIn = burnIn
        self.synchronous = synchronous
    }

    /// Creates a validated time-based schedule: a member is ready after `seconds` of training
    /// (see the type's discussion); `interval` is `steps`.
    /// - Throws: `PBTError` naming `steps`, `interval.seconds` or `burn_in`.
    public init(steps: Int, seconds: Double, burnIn: Int = 0, synchronous: Bool = false) throws {
        guard seconds.isFinite, seconds > 0 else {
            throw PBTError.invalidSetting("interval.seconds", "must be a finite number of seconds > 0, got \(seconds)")
        }
        try self.init(steps: steps, interval: max(steps, 1), burnIn: burnIn, synchronous: synchronous)
        self.seconds = seconds
    }

    /// Whether readiness is measured in seconds of training rather than in steps.
    public var isTimeBased: Bool { seconds != nil }

    /// The step at which a member now at `step` is next ready (capped at the budget); with
    /// time-based readiness, the most a segment may reach (the budget).
    public func nextReadyStep(after step: Int) -> Int {
        min(step + interval, steps)
    }
}
