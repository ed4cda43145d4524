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
    /// How many members' live states this worker keeps in memory.
    public let cacheCapacity: Int
    /// How many times a member's training may fail (its trainable throws) and restart from its
    /// last checkpoint; one failure more and the member is marked failed.
    public let maxFailures: Int
    /// How store calls are retried while the store is unreachable.
    public var retry = RetryPolicy.standard
    /// Where the worker reports retries and lost leases (default: standard error).
    public var log: @Sendable (String) -> Void = standardErrorLog

    /// Creates a worker.
    public init(
        store: any PopulationStore, experiment: String, scheduler: Scheduler, workload: any Workload,
        name: String, lease: Duration = .seconds(60), cacheCapacity: Int = 64, maxFailures: Int = 3
    ) {
        self.store = store
        self.experiment = experiment
        self.scheduler = scheduler
        self.workload = workload
        self.name = name
        self.lease = lease
        self.cacheCapacity = max(1, cacheCapacity)
        self.maxFailures = max(0, maxFailures)
    }

    /// Works until every member is done or failed, or the task is cancelled (then it stops
    /// after its current commit).
    ///
    /// A trainable that throws (a `TrainingFailure`) does not stop the worker: the failure is
    /// counted, the member is released to resume from its last committed checkpoint, or marked
    /// failed past `maxFailures`. A store that is unreachable is retried with backoff (see
    /// `retry`); a lease lost to another worker drops the work since the member's last commit;
    /// other store errors stop the worker.
    public func run() async throws {
        var cache = TrainableCache(capacity: cacheCapacity)
        var idle = Backoff()
        let held = HeldLease()
        let heartbeat = startHeartbeat(held)
        defer { heartbeat.cancel() }
        do {
            while !Task.isCancelled {
                let outcome = try await retrying("claim") { try await claim(holding: held) }
                switch outcome {
                case .finished:
                    await cache.closeAll()
                    return
                case .busy:
                    try await idle.wait()
                case .claimed(let member):
                    idle.reset()
                    held.hold(member.slot)
                    defer { held.hold(nil) }
                    do {
                        try await advance(member, held: held, cache: &cache)
                    } catch let failure as TrainingFailure {
                        try await recordFailure(of: member.slot, failure)
                    } catch let error as StoreError where error.code == .leaseLost {
                        log("pbt: worker \(name): \(error.message); its steps since the last commit are dropped")
                    }
                }
            }
        } catch {
            await cache.closeAll()
            throw error
        }
        await cache.closeAll()
    }

    /// Trains `member` to its next ready point and commits; the heartbeat renews the lease
    /// while `held` names the member.
    private func advance(_ member: MemberRecord, held: HeldLease, cache: inout TrainableCache) async throws {
        let (trainable, member) = try await bring(member, cache: &cache)
        let target = scheduler.schedule.nextReadyStep(after: member.step)
        do {
            let staging = store.checkpointStaging ?? NSTemporaryDirectory()
            let (score, payload) = try await training {
                try await trainable.train(steps: target - member.step)
                return (try await trainable.evaluate(), try await trainable.saveCheckpoint(in: staging))
            }
            // The store moved a staged file in, or had its content already, or failed.
            defer { if case .file(let file) = payload { unlink(file.path) } }
            let point = ReadyPoint(
                experiment: experiment, member: member.slot, worker: name, step: target,
                score: score.isNaN ? scheduler.mode.worstScore : score, hyperparameters: member.hyperparameters,
                payload: payload)
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
            let member = result.member
            if member.checkpoint == result.checkpoint, member.status == .ready || member.status == .waiting {
                let dropped = cache.keep(
                    trainable, member: slot, checkpoint: result.checkpoint, hyperparameters: point.hyperparameters)
                await dropped?.close()
            } else {
                await trainable.close()
            }
        } catch {
            held.hold(nil)
            await trainable.close()
            if !(error is TrainingFailure) {
                try? await retrying("release of member \(member.slot)") {
                    try await store.release(experiment: experiment, member: member.slot, worker: name)
                }
            }
            throw error
        }
    }

    /// The member's live state: from the cache when it is at the member's checkpoint, else
    /// restored from the store, else created fresh. A corrupt or missing checkpoint is reported
    /// and the member falls back to its previous good one; the member is returned as it now
    /// stands.
    private func bring(
        _ member: MemberRecord, cache: inout TrainableCache
    ) async throws -> (any Trainable, MemberRecord) {
        if let cached = cache.take(member.slot) {
            if cached.checkpoint == member.checkpoint {
                if cached.hyperparameters != member.hyperparameters {
                    do {
                        try await training { try await cached.trainable.apply(member.hyperparameters) }
                    } catch {
                        await cached.trainable.close()
                        throw error
                    }
                }
                return (cached.trainable, member)
            }
            await cached.trainable.close()
        }
        if let id = member.checkpoint {
            do {
                return (try await restored(member, from: id), member)
            } catch let error as StoreError where error.code == .checkpointCorrupt || error.code == .checkpointMissing {
                // A missing checkpoint mostly means that the member moved on while this worker
                // could not reach the store and lost it: then `fallBack`, which needs the lease,
                // throws `leaseLost` and the member is dropped.
                let fallen = try await retrying("fallback of member \(member.slot)") {
                    try await store.fallBack(experiment: experiment, member: member.slot, worker: name, reason: error.message)
                }
                FileHandle.standardError.write(
                    Data("pbt: \(error.message); member \(member.slot) fell back to step \(fallen.step)\n".utf8))
                return try await bring(fallen, cache: &cache)
            }
        }
        let fresh = try await training {
            try await workload.makeTrainable(
                hyperparameters: member.hyperparameters, seed: scheduler.trainableSeed(member: member.slot),
                member: member.slot)
        }
        return (fresh, member)
    }
}

extension Worker {
    /// A new trainable holding checkpoint `id` with the member's hyperparameters.
    /// - Throws: `StoreError.checkpointCorrupt` or `checkpointMissing` when the checkpoint is
    ///   damaged, also when that shows while it is restored (a file is verified as it is read);
    ///   `TrainingFailure` when the trainable fails otherwise.
    private func restored(_ member: MemberRecord, from id: Int64) async throws -> any Trainable {
        let checkpoint = try await retrying("read of checkpoint \(id)") {
            try await store.checkpoint(of: experiment, id: id)
        }
        let trainable = try await training {
            try await workload.makeTrainable(
                hyperparameters: member.hyperparameters, seed: scheduler.trainableSeed(member: checkpoint.member),
                member: member.slot)
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
                    "experiment '\(experiment)': checkpoint \(id) of member \(checkpoint.member) at step \(checkpoint.step): "
                        + damage.message)
            }
            throw failure
        } catch {
            await trainable.close()
            throw error
        }
        return trainable
    }
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
