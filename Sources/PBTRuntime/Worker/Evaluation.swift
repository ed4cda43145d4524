import PBT

/// What `Trainable.evaluation()` reports: the score the scheduler ranks and other numbers
/// recorded beside it.
public struct Evaluation: Hashable, Sendable {
    /// The score (see `Trainable.evaluate()`).
    public var score: Double
    /// Other numbers, such as a training loss or a test accuracy; the worker checks them with
    /// `Metrics.validated(_:hyperparameterNames:)` before they are recorded.
    public var metrics: Metrics

    /// Creates an evaluation.
    public init(score: Double, metrics: Metrics = .none) {
        self.score = score
        self.metrics = metrics
    }
}

extension MetricsError: RecurringFailure {
    /// Names, kinds and counts of metrics are the program's code: a restart reports them the
    /// same way. A value that is not finite may come from a diverging state and counts as one
    /// failure.
    public var recurs: Bool { code != .notFinite }
}
