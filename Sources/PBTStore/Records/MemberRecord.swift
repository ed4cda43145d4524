import Foundation
import PBT

/// A claim on a member: which worker trains it, until when.
public struct Lease: Hashable, Sendable, Codable {
    /// The worker holding the member.
    public var worker: String
    /// When the lease lapses unless renewed.
    public var expiresAt: Date

    /// Creates a lease.
    public init(worker: String, expiresAt: Date) {
        self.worker = worker
        self.expiresAt = expiresAt
    }
}

/// One member's current state in the store.
public struct MemberRecord: Hashable, Sendable, Codable {
    /// The slot, 0..<population.
    public var slot: Int
    /// The step of the weights the member's checkpoint holds.
    public var step: Int
    /// Where the member is in its life.
    public var status: MemberStatus
    /// The hyperparameters in force.
    public var hyperparameters: Hyperparameters
    /// The hyperparameters it started with.
    public var initialHyperparameters: Hyperparameters
    /// The checkpoint to resume from (its own or, after an exploit, its donor's); nil before
    /// the first ready point.
    public var checkpoint: Int64?
    /// The latest recorded score, as reported; nil before the first.
    public var score: Double?
    /// The current claim, if any.
    public var lease: Lease?
    /// How many times training this member failed.
    public var failures: Int

    /// Creates a record.
    public init(
        slot: Int, step: Int = 0, status: MemberStatus = .ready, hyperparameters: Hyperparameters,
        initialHyperparameters: Hyperparameters? = nil, checkpoint: Int64? = nil, score: Double? = nil,
        lease: Lease? = nil, failures: Int = 0
    ) {
        self.slot = slot
        self.step = step
        self.status = status
        self.hyperparameters = hyperparameters
        self.initialHyperparameters = initialHyperparameters ?? hyperparameters
        self.checkpoint = checkpoint
        self.score = score
        self.lease = lease
        self.failures = failures
    }
}
