import Foundation

/// One claim of a member, as the PostgreSQL store records it: who held the member and when.
///
/// The claim was live from `started` until `ended` (commit, release, failure, or — for a
/// lease that lapsed and was claimed by another worker — its expiry). A claim with no `ended`
/// is open. At most one claim per member is open at a time.
public struct ClaimRecord: Hashable, Sendable {
    /// How a claim ended.
    public enum Outcome: String, Hashable, Sendable {
        /// The worker committed a ready point.
        case committed
        /// The worker gave the member back unchanged.
        case released
        /// The worker marked the member failed.
        case failed
        /// The lease ran out and another worker claimed the member.
        case lapsed
    }

    /// The member.
    public var member: Int
    /// The worker.
    public var worker: String
    /// When the lease began (seconds since 1970, the store's clock).
    public var started: Double
    /// When the lease lapses or lapsed, as last renewed.
    public var expires: Double
    /// When the claim ended; nil while open.
    public var ended: Double?
    /// How it ended; nil while open.
    public var outcome: Outcome?

    /// Creates a record.
    public init(member: Int, worker: String, started: Double, expires: Double, ended: Double?, outcome: Outcome?) {
        self.member = member
        self.worker = worker
        self.started = started
        self.expires = expires
        self.ended = ended
        self.outcome = outcome
    }

    /// The end of the claim's live interval: `ended`, or for an open claim its expiry.
    public var liveUntil: Double { ended ?? expires }
}
