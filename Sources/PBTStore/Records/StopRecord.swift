import Foundation

/// What ended an experiment before every member reached its budget, as a store keeps it (see
/// `StopRules` and `StopReason` in `PBT`).
public struct StopRecord: Hashable, Sendable, Codable {
    /// The rule that was met: `score`, `seconds` or `plateau`.
    public var rule: String
    /// One line for people, e.g. `member 3 reached the target score 0.95 at step 400 (0.953)`.
    public var detail: String
    /// When it was recorded.
    public var at: Date

    /// Creates a record.
    public init(rule: String, detail: String, at: Date = Date()) {
        self.rule = rule
        self.detail = detail
        self.at = at
    }

    /// The rules a store accepts.
    public static let rules = ["score", "seconds", "plateau"]

    /// `rule: detail`, e.g. `score: member 3 reached the target score 0.95 at step 400 (0.953)`.
    public var summary: String { "\(rule): \(detail)" }
}
