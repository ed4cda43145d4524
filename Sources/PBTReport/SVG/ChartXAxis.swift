import Foundation
import PBTStore

/// The x axis of the score and metric charts: the member's step, or the wall-clock time since
/// the experiment's first record (its first score or event). A time axis needs every score's
/// time; otherwise (a store written before swift-pbt kept times) steps are drawn and
/// `fallbackNote` says why.
struct ChartXAxis: Sendable {
    /// The axis label.
    let label: String
    /// Why the time axis asked for is drawn as steps; nil when the axis is what was asked for.
    let fallbackNote: String?
    /// The first record's time (seconds since 1970) on a time axis; nil on a step axis.
    let origin: Double?
    /// Seconds per axis unit (1, 60 or 3600) on a time axis.
    let unit: Double

    /// The axis for `history` when `kind` is asked for.
    init(_ history: ExperimentHistory, kind: ChartOptions.XAxis) {
        let scoreTimes = history.scores.compactMap(\.recordedAt)
        let eventTimes = history.events.compactMap(\.recordedAt)
        if kind == .time, !scoreTimes.isEmpty, scoreTimes.count == history.scores.count,
            let first = (scoreTimes + eventTimes).min(), let last = scoreTimes.max()
        {
            let span = last.timeIntervalSince(first)
            let (unit, name) = span >= 7200 ? (3600.0, "hours") : span >= 120 ? (60.0, "minutes") : (1.0, "seconds")
            self.init(
                label: "wall-clock time (\(name) since the experiment's first record)", fallbackNote: nil,
                origin: first.timeIntervalSince1970, unit: unit)
        } else {
            let missing = history.scores.count - scoreTimes.count
            let note =
                kind == .time && !history.scores.isEmpty
                ? "The x axis is the step, not the time asked for: \(missing) of \(history.scores.count) "
                    + "scores carry no "
                    + "recorded time (stored before swift-pbt kept times)."
                : nil
            self.init(label: "step (training steps of the member's weights)", fallbackNote: note, origin: nil, unit: 1)
        }
    }

    private init(label: String, fallbackNote: String?, origin: Double?, unit: Double) {
        self.label = label
        self.fallbackNote = fallbackNote
        self.origin = origin
        self.unit = unit
    }

    /// Whether the axis is wall-clock time.
    var isTime: Bool { origin != nil }

    /// The x value of a score: its step, or its time since the origin in the axis's unit.
    func value(_ score: ScoreRecord) -> Double {
        guard let origin, let time = score.recordedAt else { return Double(score.step) }
        return (time.timeIntervalSince1970 - origin) / unit
    }

    /// How a point's position reads in a tooltip: `step 120` or `at 3.5 minutes`.
    func describe(_ score: ScoreRecord) -> String {
        guard isTime else { return "step \(score.step)" }
        return "step \(score.step), \(Format.number((value(score) * 100).rounded() / 100)) \(unitName) in"
    }

    private var unitName: String { unit == 3600 ? "hours" : unit == 60 ? "minutes" : "seconds" }
}
