/// How a report draws its score and metric charts (`pbt report --full-range --x-axis time
/// --member-best`; on the dashboard `?range=full&x=time&best=members`).
public struct ChartOptions: Sendable, Hashable {
    /// What the x axis of the score and metric charts measures.
    public enum XAxis: String, Sendable, CaseIterable {
        /// The member's training step (the default).
        case step
        /// Wall-clock time since the experiment's first record, in seconds, minutes or hours by
        /// the run's length; steps, with a note, when some scores carry no time (older stores).
        case time
    }

    /// Whether the score axis spans every finite score, rather than the range that matters
    /// (see `HTMLReport`).
    public var fullScoreRange: Bool
    /// What the x axis measures.
    public var xAxis: XAxis
    /// Whether each member's best score so far is drawn too (thin, in its colour), beside the
    /// population's.
    public var memberBestSoFar: Bool

    /// Creates options; the defaults are a fitted score axis, steps, the population's best only.
    public init(fullScoreRange: Bool = false, xAxis: XAxis = .step, memberBestSoFar: Bool = false) {
        self.fullScoreRange = fullScoreRange
        self.xAxis = xAxis
        self.memberBestSoFar = memberBestSoFar
    }
}
