import Foundation
import PBT

/// The truth of every experiment: members, scores, events, checkpoints and leases.
///
/// Workers never talk to each other; they claim members, train them and commit ready points
/// through a store, on one machine (in memory, SQLite) or many (PostgreSQL).
///
/// ## Contract
/// - **Thread safety.** Every method may be called concurrently from any task or process
///   sharing the store. Each method is atomic: it happens entirely or not at all.
/// - **Ownership.** A member is trained only by the worker holding its lease. `claim` is a
///   compare-and-set: it hands a member to exactly one worker. A lease lapses at its
///   `expiresAt` unless `renew` extends it; a lapsed member may be claimed by another worker,
///   after which the first worker's `renew` and `commit` fail with `StoreError.leaseLost`.
/// - **One commit, one transaction.** `commit` records the score and the checkpoint, reads
///   the population, runs `decide` on it, applies the returned updates and events, and
///   releases the lease — all or nothing.
/// - **Durability.** A store either makes a commit durable before `commit` returns
///   (PostgreSQL), or writes behind (SQLite): a batch of commits at a time, in commit order,
///   each batch one transaction holding the population as it was after one commit, a few
///   milliseconds after they returned. Either way a crash leaves the store as it was after
///   some commit — never half of one — and loses only the steps trained since then. `flush()`
///   waits until every returned commit is durable.
/// - **Returned values are copies.** Records returned by a store are snapshots; changing them
///   changes nothing stored.
/// - **Checkpoints.** A member's `checkpoint` always names a stored checkpoint. Stores keep
///   the last `keep` checkpoints of each member and every checkpoint a member points to.
///   Every checkpoint is stored with its SHA-256. One of `CheckpointPayload.fileThreshold`
///   bytes or more is kept as a file named by that digest (`CheckpointDirectory`), so that
///   memory stays bounded and identical states share a file; a file no checkpoint names any
///   more is removed. `checkpoint(of:id:)` verifies bytes before returning them, and returns a
///   file once found present and of its size, its digest checked while it is read
///   (`CheckpointReader`); a missing or damaged file is `checkpointCorrupt`, like damaged
///   bytes. A member whose checkpoint fails verification is moved back by `fallBack`.
/// - **Scores.** A score is any `Double` but NaN (±infinity included) and reads back bit for
///   bit; committing NaN throws `StoreError.invalid` (report the mode's worst score instead).
/// - **Metrics and times.** A commit records the point's metrics with its score, and stamps the
///   score and the events of its decision with the commit's time (the store's clock as
///   `Date.recorded` keeps it; PostgreSQL's server clock unless one is injected). Metrics that
///   break `Metrics`' rules throw `StoreError.invalid`, and nothing is recorded.
public protocol PopulationStore: Sendable {
    /// Creates the experiment and its members, or finds it already there.
    /// - Parameters:
    ///   - experiment: the experiment; its `configuration` is compared on resume.
    ///   - members: the initial hyperparameters, indexed by slot.
    /// - Returns: true when created, false when an experiment with the same configuration
    ///   already existed (a resume).
    /// - Throws: `StoreError.configurationMismatch` when it exists with another configuration.
    func create(_ experiment: ExperimentRecord, members: [Hyperparameters]) async throws -> Bool

    /// Where a worker writes a large checkpoint file before committing it, so that the store
    /// moves it in with a `rename` instead of copying it (`CheckpointFileWriter`); nil when the
    /// store keeps no checkpoint files (write to a temporary directory then).
    var checkpointStaging: String? { get }

    /// Waits until every commit that returned before this call is durable.
    /// - Throws: `StoreError.unavailable` when the store can no longer write.
    func flush() async throws

    /// The experiments in the store, oldest first.
    func experiments() async throws -> [ExperimentRecord]

    /// The experiment named `name`, or nil.
    func experiment(named name: String) async throws -> ExperimentRecord?

    /// Claims the least-advanced ready member whose lease is free or lapsed: lowest step, then
    /// the one that committed least recently (lowest checkpoint id, none first), then lowest
    /// slot — so a member that keeps going back by exploiting cannot starve the others.
    /// - Parameters:
    ///   - experiment: the experiment's name.
    ///   - worker: a name unique among live workers.
    ///   - lease: how long the claim lasts without `renew`.
    func claim(experiment: String, worker: String, lease: Duration) async throws -> ClaimOutcome

    /// Claims like `claim(experiment:worker:lease:)`, but among the least-advanced members
    /// (those at the lowest step) takes one in `preferred` first, if any: a worker process
    /// asks for members whose live state it holds. The preference never reaches past the
    /// lowest step, so no member starves; with `preferred` empty the claim is the plain one.
    /// - Parameters:
    ///   - experiment: the experiment's name.
    ///   - worker: a name unique among live workers.
    ///   - lease: how long the claim lasts without `renew`.
    ///   - preferred: slots to prefer; slots out of range are ignored.
    func claim(
        experiment: String, worker: String, lease: Duration, preferring preferred: Set<Int>
    ) async throws
        -> ClaimOutcome

    /// Extends the lease `worker` holds on `member`.
    /// - Throws: `StoreError.leaseLost` when another worker holds it now.
    func renew(experiment: String, member: Int, worker: String, lease: Duration) async throws

    /// Gives up the lease without recording anything (the member resumes from its last commit).
    func release(experiment: String, member: Int, worker: String) async throws

    /// Records a ready point and the decision it leads to, in one transaction, and releases
    /// the lease.
    /// - Parameters:
    ///   - point: the score and checkpoint; the worker must hold the member's lease.
    ///   - scoreWindow: how many recent scores per member `decide` needs.
    ///   - historyRows: how many of the experiment's latest scores `decide` needs in
    ///     `PopulationState.history` (with the events recorded among them); 0 reads none.
    ///   - decide: computes the member updates from the population, which already includes
    ///     `point` (the member's step, score and checkpoint are updated; its score is the
    ///     history's last).
    /// - Returns: the committing member after the updates, and the id of the checkpoint
    ///   recorded for `point`.
    func commit(
        _ point: ReadyPoint, scoreWindow: Int, historyRows: Int,
        decide: @escaping @Sendable (PopulationState) throws -> [MemberUpdate]
    ) async throws -> CommitResult

    /// Records the experiment's run time and what stopped it (`stop:` rules), in one atomic
    /// change: the run time becomes the larger of the stored one and `seconds`, and `stop` is
    /// recorded unless a stop already is (the first wins, later ones are ignored).
    /// - Parameters:
    ///   - experiment: the experiment's name.
    ///   - seconds: the run time now, nil to leave it.
    ///   - stop: the stop to record, nil to record none.
    /// - Returns: the experiment after the change (its `stop` is the one recorded, whoever did).
    /// - Throws: `StoreError.experimentNotFound`; `StoreError.invalid` (see
    ///   `ExperimentRecord.recording(seconds:stop:)`).
    func recordRun(experiment: String, seconds: Double?, stop: StopRecord?) async throws -> ExperimentRecord

    /// Marks `member` failed (after `failures` failures) and releases it.
    func fail(experiment: String, member: Int, worker: String, failures: Int) async throws

    /// Counts one failure of `member` (its trainable threw) and releases it: the member resumes
    /// from its last committed checkpoint when claimed again. A member whose failures now
    /// exceed `maxFailures` is marked `failed` instead, and the experiment goes on without it:
    /// then, in the same transaction and serialised with commits, `decide` computes updates
    /// from the population after the change (the member `failed`, its lease gone), which are
    /// applied as a commit's are. A synchronous round the member held up is decided that way.
    /// - Parameters:
    ///   - experiment: the experiment's name.
    ///   - member: the failed member's slot.
    ///   - worker: the worker holding the member's lease.
    ///   - maxFailures: the failures a member may have before it is marked failed.
    ///   - scoreWindow: what `decide` sees, as for `commit`.
    ///   - historyRows: what `decide` sees, as for `commit`.
    ///   - decide: called only when the member is marked failed.
    /// - Returns: the member after the change (its `failures` and `status`).
    /// - Throws: `StoreError.leaseLost` unless `worker` holds the member;
    ///   `StoreError.memberOutOfRange`; what `decide` throws (nothing is changed then).
    func recordFailure(
        experiment: String, member: Int, worker: String, maxFailures: Int, scoreWindow: Int, historyRows: Int,
        decide: @escaping @Sendable (PopulationState) throws -> [MemberUpdate]
    ) async throws -> MemberRecord

    /// Every member of the experiment, indexed by slot.
    func members(of experiment: String) async throws -> [MemberRecord]

    /// Every score of the experiment, in the order recorded.
    func scores(of experiment: String) async throws -> [ScoreRecord]

    /// The experiment's scores in the order recorded, without the first `index`: what a reader
    /// that has seen `index` of them has not. Commits are serialised, so a score recorded later
    /// is never seen before an earlier one.
    func scores(of experiment: String, from index: Int) async throws -> [ScoreRecord]

    /// Every event of the experiment, by sequence.
    func events(of experiment: String) async throws -> [ExploitEvent]

    /// The checkpoint `id` of the experiment, verified.
    /// - Throws: `StoreError.checkpointMissing` or `StoreError.checkpointCorrupt` (naming the
    ///   experiment, member, step and checkpoint id).
    func checkpoint(of experiment: String, id: Int64) async throws -> Checkpoint

    /// Moves `member` off its current checkpoint (which failed verification, or could not be
    /// restored) to its newest *own* other checkpoint that verifies; the member's step becomes
    /// that checkpoint's step. With no such checkpoint, the member starts afresh: step 0, no
    /// checkpoint. Hyperparameters, score and status stay; `worker` keeps the lease. The move
    /// is recorded with `reason` (see `fallbacks(of:)`).
    /// - Returns: the member after the move.
    /// - Throws: `StoreError.leaseLost` unless `worker` holds the member;
    ///   `StoreError.memberOutOfRange`.
    func fallBack(experiment: String, member: Int, worker: String, reason: String) async throws -> MemberRecord

    /// Every fallback of the experiment, in the order recorded.
    func fallbacks(of experiment: String) async throws -> [FallbackRecord]

    /// Every checkpoint the store keeps of the experiment (the retention rule above), oldest
    /// first, without reading or verifying its bytes.
    /// - Throws: `StoreError.experimentNotFound`.
    func storedCheckpoints(of experiment: String) async throws -> [StoredCheckpoint]

    /// Deletes the experiment and everything it holds: members, scores, events, fallbacks,
    /// checkpoints (and checkpoint files no other checkpoint of the store names), claims. The
    /// name is free afterwards: `create` makes a new experiment. Atomic like every call; the
    /// caller makes sure no worker is working on the experiment (`pbt delete` refuses live
    /// leases): a worker that still is finds it gone (`experimentNotFound`).
    /// - Throws: `StoreError.experimentNotFound`.
    func delete(experiment: String) async throws

    /// Writes what is left and lets go of the store's connections, files and locks; later calls
    /// fail. A store is also closed when released; closing says when the last writes failed.
    /// - Throws: `StoreError.unavailable` when the last changes could not be written.
    func close() throws
}

extension PopulationStore {
    /// The plain claim: a store that cannot prefer members ignores the preference.
    public func claim(
        experiment: String, worker: String, lease: Duration, preferring preferred: Set<Int>
    ) async throws
        -> ClaimOutcome
    {
        try await claim(experiment: experiment, worker: worker, lease: lease)
    }

    /// Commits without reading any history (see `commit(_:scoreWindow:historyRows:decide:)`).
    public func commit(
        _ point: ReadyPoint, scoreWindow: Int, decide: @escaping @Sendable (PopulationState) throws -> [MemberUpdate]
    ) async throws -> CommitResult {
        try await commit(point, scoreWindow: scoreWindow, historyRows: 0, decide: decide)
    }

    /// All scores read, the first `index` dropped (stores that can skip them say so).
    public func scores(of experiment: String, from index: Int) async throws -> [ScoreRecord] {
        Array(try await scores(of: experiment).dropFirst(max(0, index)))
    }

    /// Counts a failure with no decision to make when the member is marked failed (see
    /// `recordFailure(experiment:member:worker:maxFailures:scoreWindow:historyRows:decide:)`).
    public func recordFailure(
        experiment: String, member: Int, worker: String, maxFailures: Int
    ) async throws
        -> MemberRecord
    {
        try await recordFailure(
            experiment: experiment, member: member, worker: worker, maxFailures: maxFailures, scoreWindow: 1,
            historyRows: 0, decide: { _ in [] })
    }

    /// Nothing to let go of (the in-memory store).
    public func close() throws {}

    /// No checkpoint files.
    public var checkpointStaging: String? { nil }

    /// A store that makes every commit durable before it returns has nothing to wait for.
    public func flush() async throws {}
}
