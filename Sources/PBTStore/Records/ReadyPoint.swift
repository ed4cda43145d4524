import Foundation
import PBT

/// What a worker commits at a ready point: the score and the state that earned it.
public struct ReadyPoint: Sendable {
    /// The experiment.
    public var experiment: String
    /// The member.
    public var member: Int
    /// The worker that must hold the member's lease.
    public var worker: String
    /// The member's step after training.
    public var step: Int
    /// The score as reported by the trainable; −0 becomes 0, so that every store reads back
    /// the same bits (SQLite keeps no sign on a zero).
    public var score: Double
    /// The hyperparameters in force while training to `step`.
    public var hyperparameters: Hyperparameters
    /// The other numbers the trainable reported with the score, checked by
    /// `Metrics.validated(_:hyperparameterNames:)`; recorded with the score.
    public var metrics: Metrics
    /// The saved state at `step`: bytes, or a file the store adopts (a staging file in the
    /// store's `checkpointStaging` directory is moved, not copied; the caller removes it if it
    /// is still there after the commit).
    public var payload: CheckpointPayload

    /// Creates a ready point.
    public init(
        experiment: String, member: Int, worker: String, step: Int, score: Double,
        hyperparameters: Hyperparameters, metrics: Metrics = .none, payload: CheckpointPayload
    ) {
        self.experiment = experiment
        self.member = member
        self.worker = worker
        self.step = step
        self.score = score == 0 ? 0 : score
        self.hyperparameters = hyperparameters
        self.metrics = metrics
        self.payload = payload
    }

    /// Creates a ready point whose state is `checkpoint`'s bytes.
    public init(
        experiment: String, member: Int, worker: String, step: Int, score: Double,
        hyperparameters: Hyperparameters, metrics: Metrics = .none, checkpoint: [UInt8]
    ) {
        self.init(
            experiment: experiment, member: member, worker: worker, step: step, score: score,
            hyperparameters: hyperparameters, metrics: metrics, payload: .bytes(checkpoint))
    }
}

/// The population as seen inside a commit, after the ready point's score and checkpoint were
/// recorded: what the decision reads.
public struct PopulationState: Sendable {
    /// Every member, indexed by slot.
    public var members: [MemberRecord]
    /// Each member's most recent scores (oldest first, as reported), indexed by slot.
    public var recentScores: [[Double]]
    /// The step at which each member last copied a donor (its latest event whose donor is
    /// another member), nil if it never did; indexed by slot.
    public var lastExploitSteps: [Int?]
    /// The experiment's latest scores, oldest first, as many as the commit asked for
    /// (`historyRows`); the ready point's is the last.
    public var history: [ScoreRecord]
    /// The experiment's latest events, as many as `history` has scores at most, oldest first.
    public var events: [ExploitEvent]

    /// Creates a state.
    public init(
        members: [MemberRecord], recentScores: [[Double]], lastExploitSteps: [Int?], history: [ScoreRecord] = [],
        events: [ExploitEvent] = []
    ) {
        self.members = members
        self.recentScores = recentScores
        self.lastExploitSteps = lastExploitSteps
        self.history = history
        self.events = events
    }
}

/// A change to one member that a decision makes, applied in the commit's transaction.
public struct MemberUpdate: Hashable, Sendable {
    /// The member.
    public var slot: Int
    /// Its new step (a donor's step after an exploit).
    public var step: Int
    /// Its new status.
    public var status: MemberStatus
    /// Its new hyperparameters.
    public var hyperparameters: Hyperparameters
    /// The checkpoint it resumes from (a donor's after an exploit).
    public var checkpoint: Int64?
    /// Its new score: the donor's when a copy ends it at the budget; nil keeps its own.
    public var score: Double?
    /// The event to record, if the hyperparameters or weights changed; the store assigns
    /// `sequence`.
    public var event: ExploitEvent?

    /// Creates an update.
    public init(
        slot: Int, step: Int, status: MemberStatus, hyperparameters: Hyperparameters, checkpoint: Int64?,
        score: Double? = nil, event: ExploitEvent? = nil
    ) {
        self.slot = slot
        self.step = step
        self.status = status
        self.hyperparameters = hyperparameters
        self.checkpoint = checkpoint
        self.score = score
        self.event = event
    }
}

/// What `PopulationStore.claim` found.
public enum ClaimOutcome: Hashable, Sendable {
    /// The worker now holds this member.
    case claimed(MemberRecord)
    /// Nothing is claimable now (all held by others, or waiting for a synchronous round).
    case busy
    /// Every member is done or failed.
    case finished
}

/// What `PopulationStore.commit` did.
public struct CommitResult: Hashable, Sendable {
    /// The committing member after the decision's updates.
    public var member: MemberRecord
    /// The id of the checkpoint recorded for the ready point; when the member still points to
    /// it, its live state is still current.
    public var checkpoint: Int64

    /// Creates a result.
    public init(member: MemberRecord, checkpoint: Int64) {
        self.member = member
        self.checkpoint = checkpoint
    }
}

extension ReadyPoint {
    /// The score record this point adds to the history, recorded at `time`.
    public func scoreRecord(at time: Date?) -> ScoreRecord {
        ScoreRecord(
            member: member, step: step, score: score, hyperparameters: hyperparameters, metrics: metrics,
            recordedAt: time)
    }
}

extension ReadyPoint {
    /// Throws unless the point's metrics keep `Metrics`' rules (every store checks them before
    /// recording anything).
    /// - Throws: `StoreError.invalid` with the `MetricsError`'s message.
    public func checkMetrics() throws {
        guard !metrics.isEmpty else { return }
        do {
            _ = try Metrics.validated(metrics.values, hyperparameterNames: hyperparameters.values.keys)
        } catch let error as MetricsError {
            throw StoreError(.invalid, "experiment '\(experiment)': member \(member) at step \(step): \(error.message)")
        }
    }
}
