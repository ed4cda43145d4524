/// When members are ready, when they are done, and whether they decide alone or in rounds.
public struct TrainingSchedule: Hashable, Sendable, Codable {
    /// The budget: a member is done when its step counter reaches `steps`.
    public var steps: Int
    /// A member is ready after training this many steps since it was last ready.
    public var interval: Int
    /// No exploit or explore before this step (scores are still recorded).
    public var burnIn: Int
    /// All members reach the same ready step, then decide together, best first.
    public var synchronous: Bool

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

    /// The step at which a member now at `step` is next ready (capped at the budget).
    public func nextReadyStep(after step: Int) -> Int {
        min(step + interval, steps)
    }
}
