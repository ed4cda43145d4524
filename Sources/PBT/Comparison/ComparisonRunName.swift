/// The name of one run of a comparison, `BASE.ARM.seedS` (e.g. `digits.random.seed3`): each
/// arm and seed is an experiment of its own in the comparison's store.
public struct ComparisonRunName: Sendable, Hashable, CustomStringConvertible {
    /// The compared experiment's name, e.g. `digits`.
    public var base: String
    /// The arm.
    public var arm: ComparisonArm
    /// The run's seed.
    public var seed: UInt64

    /// Creates a name.
    public init(base: String, arm: ComparisonArm, seed: UInt64) {
        self.base = base
        self.arm = arm
        self.seed = seed
    }

    /// Parses `BASE.ARM.seedS`; nil when `name` is not the name of a comparison's run (the
    /// seed written in decimal without leading zeros, the arm one of `ComparisonArm`).
    public init?(parsing name: String) {
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count >= 3, parts.last!.hasPrefix("seed"), let seed = UInt64(parts.last!.dropFirst(4)),
            let arm = ComparisonArm(rawValue: String(parts[parts.count - 2]))
        else { return nil }
        self.init(base: parts.dropLast(2).joined(separator: "."), arm: arm, seed: seed)
        guard !base.isEmpty, description == name else { return nil }
    }

    /// `BASE.ARM.seedS`.
    public var description: String { "\(base).\(arm.rawValue).seed\(seed)" }
}
