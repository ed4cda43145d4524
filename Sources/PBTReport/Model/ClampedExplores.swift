import PBT

/// How often exploring pushed one hyperparameter past its domain, so that the value was clamped
/// to a bound.
///
/// What a high count means is `meaning`, which the report prints beside the counts. This project
/// found its Acrobot discount problem by reading the final members from the store by hand; this
/// count puts that signal in the report.
public struct ClampedExplores: Hashable, Sendable {
    /// What a high count means, in the report's words.
    public static let meaning =
        "Exploring multiplies a value and clamps the result to the domain; when most moves of a "
        + "hyperparameter are clamped, its values pile up at a bound: the domain cuts off where the search "
        + "is heading, or it is narrow beside the perturbation factors (a discount in [0.9, 0.999] times "
        + "0.8 or 1.2 always leaves it)."

    /// The hyperparameter.
    public var name: String
    /// The explores that changed its value (every mutation but `unchanged`).
    public var explores: Int
    /// Of those, the ones whose result was clamped to a bound.
    public var clamped: Int

    /// Creates a count.
    public init(name: String, explores: Int, clamped: Int) {
        self.name = name
        self.explores = explores
        self.clamped = clamped
    }

    /// `gamma in 40 of 48 explores (83%)`.
    public var summary: String {
        "\(name) in \(clamped) of \(explores) explores (\(Int((100 * Double(clamped) / Double(explores)).rounded()))%)"
    }
}

extension ExperimentHistory {
    /// For every hyperparameter that exploring clamped at least once, how often, by name.
    public var clampedExplores: [ClampedExplores] {
        var explores: [String: Int] = [:], clamped: [String: Int] = [:]
        for mutation in events.flatMap(\.mutations) {
            if case .unchanged = mutation.operation { continue }
            explores[mutation.name, default: 0] += 1
            if mutation.clamped { clamped[mutation.name, default: 0] += 1 }
        }
        return clamped.keys.sorted().map {
            ClampedExplores(name: $0, explores: explores[$0]!, clamped: clamped[$0]!)
        }
    }
}
