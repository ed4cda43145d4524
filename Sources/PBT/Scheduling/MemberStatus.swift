/// Where a member is in its life.
public enum MemberStatus: String, Hashable, Sendable, Codable {
    /// Training continues from its checkpoint.
    case ready
    /// Synchronous mode: reached the round's ready step, waiting for the others.
    case waiting
    /// Reached its budget.
    case done
    /// Gave up after too many failures; the experiment goes on without it.
    case failed
}
