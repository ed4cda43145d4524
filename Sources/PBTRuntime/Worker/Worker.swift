import Foundation
import PBT
import PBTStore

/// The PBT worker loop: claim a member, bring its state into memory, train it to its next ready
/// point, and commit the score, checkpoint and decision in one transaction; until every member
/// is done. Any number of workers, in one process or many, can share a store.
public struct Worker: Sendable {
    /// The store holding the experiment.
    public let store: any PopulationStore
    /// The experiment's name in the store.
    public let experiment: String
    /// The experiment's decisions.
    public let scheduler: Scheduler
    /// What trains.
    public let workload: any Workload
    /// This worker's name, unique among live workers.
    public let name: String
    /// How long a claim lasts without a heartbeat.
    public let lease: Duration
    /// The live trainables this worker shares with the other workers of its process; nil: a
    /// pool of one of its own, closed when `run` returns.
    public let pool: TrainablePool?
    /// How many times a member's training may fail (its trainable throws) and restart from its
    /// last checkpoint; one failure more and the member is marked failed.
    public let maxFailures: Int
    /// How store calls are retried while the store is unreachable.
    public var retry = RetryPolicy.standard
    /// Where the worker reports retries and lost leases (default: standard error).
    public var log: @Sendable (String) -> Void = standardErrorLog
    /// The experiment's `stop:` rules, shared by the process's workers; nil: none.
    public var stopper: ExperimentStopper?
    /// Where the worker runs its store calls (default: on the store executor).
    public var storeCalls = StoreCalls.onStoreExecutor

    /// Creates a worker.
    public init(
        store: any PopulationStore, experiment: String, scheduler: Scheduler, workload: any Workload,
        name: String, lease: Duration = .seconds(60), pool: TrainablePool? = nil, maxFailures: Int = 3
    ) {
        self.store = store
        self.experiment = experiment
        self.scheduler = scheduler
        self.workload = workload
        self.name = name
        self.lease = lease
        self.pool = pool
        self.maxFailures = max(0, maxFailures)
    }

    /// Works until every member is done or failed, the experiment stops (`stopper`: before each
    /// claim, and while nothing is claimable), or the task is cancelled (then it stops after its
    /// current commit).
    ///
    /// A trainable that throws (a `TrainingFailure`) does not stop the worker: the failure is
    /// counted, the member is released to resume from its last committed checkpoint, or marked
    /// failed past `maxFailures`. A store that is unreachable is retried with backoff (see
    /// `retry`); a lease lost to another worker drops the work since the member's last commit;
    /// other store errors stop the worker.
    public func run() async throws {
        let pool = self.pool ?? TrainablePool(capacity: 1)
        let closeOwnPool = { if self.pool == nil { await pool.closeAll() } }
        var idle = Backoff()
        let held = HeldLease()
        let heartbeat = startHeartbeat(held)
        defer { heartbeat.cancel() }
        do {
            work: while !Task.isCancelled {
                if let stopper, try await retrying("stop check", { try await stopper.stopped() }) { break work }
                let outcome = try await retrying("claim") { try await claim(holding: held, preferring: pool.held) }
                switch outcome {
                case .finished:
                    await closeOwnPool()
                    return
                case .busy:
                    if let stopper, try await retrying("stop check", { try await stopper.refresh() }) { break work }
                    try await idle.wait()
                case .claimed(let member):
                    idle.reset()
                    held.hold(member.slot)
                    defer { held.hold(nil) }
                    do {
                        let point = try await advance(member, held: held, pool: pool)
                        if let stopper {
                            try await retrying("stop check") {
                                try await stopper.committed(member: point.member, step: point.step, score: point.score)
                            }
                        }
                    } catch let failure as TrainingFailure {
                        try await recordFailure(of: member.slot, failure)
                    } catch let error as StoreError where error.code == .leaseLost {
                        log("pbt: worker \(name): \(error.message); its steps since the last commit are dropped")
                    }
                }
            }
        } catch {
            await closeOwnPool()
            throw error
        }
        await closeOwnPool()
    }

    /// Trains `member` to its next ready point and commits; the heartbeat renews the lease
    /// while `held` names the member.
    ///
    /// With time-based readiness the segment ends when `seconds` of training have passed
    /// (`Trainable.train(steps:until:)`, at most to the budget) and the ready point is at the
    /// step the trainable reports it reached; evaluating and saving are not counted.
    /// - Returns: the committed ready point.
    private func advance(_ member: MemberRecord, held: HeldLease, pool: TrainablePool) async throws -> ReadyPoint {
        let (live, member) = try await bring(member, pool: pool)
        let trainable = live.trainable
        let limit = scheduler.schedule.nextReadyStep(after: member.step)
        let seconds = scheduler.schedule.seconds
        do {
            let staging = store.checkpointStaging ?? NSTemporaryDirectory()
            let (target, evaluation, payload) = try await training {
                var target = limit
                if let seconds {
                    let done = try await trainable.train(steps: limit - member.step, until: .now + .seconds(seconds))
                    guard (1...(limit - member.step)).contains(done) else {
                        throw PBTError.invalidValue(
                            "steps",
                            """
                            member \(member.slot): the trainable reports \(done) steps trained; \
                            a segment trains 1 to \(limit - member.step)
                            """
                        )
                    }
                    target = member.step + done
                } else {
                    try await trainable.train(steps: limit - member.step)
                }
                let evaluation = try await trainable.evaluation()
                let metrics = try Self.checked(evaluation.metrics, of: member, at: target)
                return (
                    target, Evaluation(score: evaluation.score, metrics: metrics),
                    try await trainable.saveCheckpoint(in: staging)
                )
            }
            let score = evaluation.score
            // The store moved a staged file in, or had its content already, or failed.
            defer { if case .file(let file) = payload { unlink(file.path) } }
            let point = ReadyPoint(
                experiment: experiment, member: member.slot, worker: name, step: target,
                score: score.isNaN ? scheduler.mode.worstScore : score, hyperparameters: member.hyperparameters,
                metrics: evaluation.metrics, payload: payload)
            let decider = Decider(scheduler: scheduler)
            let slot = member.slot
            held.startCommit()
            let result = try await retrying("commit of member \(slot)") {
                try await store.commit(
                    point, scoreWindow: scheduler.scoreWindow, historyRows: scheduler.explore.historyRows
                ) {
                    decider.updates(committing: slot, in: $0)
                }
            }
            // After an exploit the trainable still holds the member's own state: the member's
            // next claim loads the donor's checkpoint into it.
            let status = result.member.status
            if let displaced = pool.keep(
                live, member: slot, checkpoint: result.checkpoint, hyperparameters: point.hyperparameters,
                finished: status != .ready && status != .waiting)
            {
                await displaced.trainable.close()
                pool.drop()
            }
            return point
        } catch {
            held.hold(nil)
            await trainable.close()
            pool.drop()  // after the close: the pool never has more than `capacity` alive
            if !(error is TrainingFailure) {
                try? await retrying("release of member \(member.slot)") {
                    try await store.release(experiment: experiment, member: member.slot, worker: name)
                }
            }
            throw error
        }
    }

    /// The member's live state from `pool`: its own trainable when it is at the member's
    /// checkpoint; else a live trainable (its own after an exploit, or another member's) into
    /// which the checkpoint is restored; else a new one, restored or fresh. A corrupt or missing
    /// checkpoint is reported and the member falls back to its previous good one; the member
    /// is returned as it now stands. The caller puts the trainable back with `pool.keep`, or
    /// closes it and calls `pool.drop()`.
    private func bring(_ member: MemberRecord, pool: TrainablePool) async throws -> (LiveTrainable, MemberRecord) {
        var reused: LiveTrainable?
        switch pool.checkOut(member) {
        case .own(let live, let checkpoint, let hyperparameters) where checkpoint == member.checkpoint:
            if hyperparameters != member.hyperparameters {
                do {
                    try await training { try await live.trainable.apply(member.hyperparameters) }
                } catch {
                    await live.trainable.close()
                    pool.drop()
                    throw error
                }
            }
            return (live, member)
        case .own(let live, _, _), .other(let live, _):
            reused = live
        case .fresh(let evicted):
            await evicted?.trainable.close()
        }
        do {
            return (try await load(member, into: reused, pool: pool), member)
        } catch let error as StoreError where error.code == .checkpointCorrupt || error.code == .checkpointMissing {
            pool.drop()
            // A missing checkpoint mostly means that the member moved on while this worker
            // could not reach the store and lost it: then `fallBack`, which needs the lease,
            // throws `leaseLost` and the member is dropped.
            let fallen = try await retrying("fallback of member \(member.slot)") {
                try await store.fallBack(
                    experiment: experiment, member: member.slot, worker: name, reason: error.message)
            }
            log("pbt: \(error.message); member \(member.slot) fell back to step \(fallen.step)")
            return try await bring(fallen, pool: pool)
        } catch {
            pool.drop()
            throw error
        }
    }
}

extension Worker {
    /// A trainable holding the member's checkpoint with its hyperparameters: `reused` (a live
    /// trainable of this or another member) with the checkpoint restored into it, or a new one.
    /// A member without a checkpoint gets a fresh trainable made with its seed (`reused` is
    /// closed). Whatever fails is closed.
    /// - Throws: `StoreError.checkpointCorrupt` or `checkpointMissing` when the checkpoint is
    ///   damaged, also when that shows while it is restored (a file is verified as it is read);
    ///   `TrainingFailure` when the trainable fails otherwise.
    private func load(
        _ member: MemberRecord, into reused: LiveTrainable?, pool: TrainablePool
    ) async throws -> LiveTrainable {
        guard let id = member.checkpoint else {
            await reused?.trainable.close()
            pool.recordStart()
            let fresh = try await training {
                try await workload.makeTrainable(
                    hyperparameters: member.hyperparameters, seed: scheduler.trainableSeed(member: member.slot),
                    member: member.slot)
            }
            return LiveTrainable(trainable: fresh)
        }
        let checkpoint: Checkpoint
        do {
            checkpoint = try await retrying("read of checkpoint \(id)") {
                try await store.checkpoint(of: experiment, id: id)
            }
        } catch {
            await reused?.trainable.close()
            throw error
        }
        let trainable: any Trainable
        if let reused {
            trainable = reused.trainable
            (trainable as? any MemberMovable)?.move(to: member.slot)
        } else {
            pool.recordStart()
            trainable = try await training {
                try await workload.makeTrainable(
                    hyperparameters: member.hyperparameters, seed: scheduler.trainableSeed(member: checkpoint.member),
                    member: member.slot)
            }
        }
        do {
            try await training {
                try await trainable.restore(from: checkpoint.payload)
                try await trainable.apply(member.hyperparameters)
            }
        } catch let failure as TrainingFailure {
            await trainable.close()
            if let damage = failure.underlying as? StoreError, damage.code == .checkpointCorrupt {
                throw StoreError(
                    .checkpointCorrupt,
                    "experiment '\(experiment)': checkpoint \(id) of member \(checkpoint.member) "
                        + "at step \(checkpoint.step): "
                        + damage.message)
            }
            throw failure
        } catch {
            await trainable.close()
            throw error
        }
        return LiveTrainable(trainable: trainable)
    }
}

/// A trainable with resources of the member it trains (an external program's log and the
/// member named in its requests), which the pool may hand to another member.
protocol MemberMovable: AnyObject {
    /// From now on the trainable trains `member` (its next request restores that member's
    /// checkpoint).
    func move(to member: Int)
}

/// Polling delay while no member is claimable: short at first, growing to 50 ms.
struct Backoff {
    private var delay: Duration = .microseconds(200)

    mutating func reset() { delay = .microseconds(200) }

    mutating func wait() async throws {
        try await Task.sleep(for: delay)
        delay = min(delay * 2, .milliseconds(50))
    }
}
