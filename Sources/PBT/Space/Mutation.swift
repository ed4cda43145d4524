/// What exploration did to one hyperparameter, for logs, events and lineage.
public struct Mutation: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The kind of change.
    public enum Operation: Hashable, Sendable, Codable {
        /// Multiplied by a factor (continuous and integer domains).
        case scaled(by: Double)
        /// An ordered choice moved by this many positions.
        case shifted(by: Int)
        /// Drawn afresh from the prior.
        case resampled
        /// Left as it was (constants, or exploit without explore).
        case unchanged
        /// Chosen by PB2's GP-UCB, for the reasons given (the same for every hyperparameter
        /// of one decision).
        case suggested(PB2Explanation)
    }

    /// The hyperparameter's name.
    public var name: String
    /// What was done.
    public var operation: Operation
    /// Whether the result had to be clamped to the domain's bounds.
    public var clamped: Bool

    /// Creates a record of one change.
    public init(_ name: String, _ operation: Operation, clamped: Bool) {
        self.name = name
        self.operation = operation
        self.clamped = clamped
    }

    /// E.g. `lr ×1.2`, `lr ×1.2 clamped`, `width index +1`, `activation resample`, `lr suggested`
    /// (the decision's explanation is `ExploitEvent.explanation`).
    public var description: String {
        let what: String
        switch operation {
        case .scaled(let factor): what = "×\(factor)"
        case .shifted(let shift): what = "index \(shift >= 0 ? "+" : "")\(shift)"
        case .resampled: what = "resample"
        case .unchanged: what = "unchanged"
        case .suggested: what = "suggested"
        }
        return "\(name) \(what)\(clamped ? " clamped" : "")"
    }
}
