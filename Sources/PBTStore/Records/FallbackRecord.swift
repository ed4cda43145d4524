import Foundation

/// A member moved back from a checkpoint it could not use (corrupt, unreadable) to its newest
/// own checkpoint that verifies, or to a fresh start: recorded by `PopulationStore.fallBack`.
public struct FallbackRecord: Hashable, Sendable, Codable {
    /// The member.
    public var member: Int
    /// The checkpoint abandoned (nil when the member had none).
    public var fromCheckpoint: Int64?
    /// The member's step before falling back.
    public var fromStep: Int
    /// The checkpoint the member resumes from; nil for a fresh start.
    public var toCheckpoint: Int64?
    /// The member's step after falling back (0 for a fresh start).
    public var toStep: Int
    /// Why, as the caller reported it (e.g. the `checkpointCorrupt` message).
    public var reason: String
    /// When.
    public var at: Date

    /// Creates a record.
    public init(
        member: Int, fromCheckpoint: Int64?, fromStep: Int, toCheckpoint: Int64?, toStep: Int, reason: String, at: Date
    ) {
        self.member = member
        self.fromCheckpoint = fromCheckpoint
        self.fromStep = fromStep
        self.toCheckpoint = toCheckpoint
        self.toStep = toStep
        self.reason = reason
        self.at = at
    }
}
