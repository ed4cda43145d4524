import Dispatch
import Foundation
import PBTStore
import Synchronization

extension Worker {
    /// Starts this worker's heartbeat: one task for the worker's whole life that, every third
    /// of `lease`, renews the lease on whichever member `held` names.
    ///
    /// It runs on an executor of its own: a lease is renewed even while training keeps every
    /// thread of the cooperative pool busy without suspending. Claims and commits cost nothing
    /// extra (setting `held`), so the heartbeat adds no store call per ready point.
    func startHeartbeat(_ held: HeldLease) -> Task<Void, Never> {
        let heartbeat = Heartbeat(
            store: store, experiment: experiment, worker: name, lease: lease, log: log, held: held)
        return Task(executorPreference: StoreExecutor.shared) { await heartbeat.run() }
    }
}

extension Worker {
    /// Claims a member, among the least advanced preferring those in `preferred` (whose
    /// trainables the worker's pool holds), and names it in `held` at once (the claim runs on
    /// the store executor, like every store call of the worker: see `retrying`).
    func claim(holding held: HeldLease, preferring preferred: Set<Int>) async throws -> ClaimOutcome {
        let outcome = try await store.claim(experiment: experiment, worker: name, lease: lease, preferring: preferred)
        if case .claimed(let member) = outcome { held.hold(member.slot) }
        return outcome
    }

    /// Runs a store call where `storeCalls` says: on the store executor, outside the
    /// cooperative pool (see `StoreCalls.onStoreExecutor`), or in place.
    func onStoreExecutor<T: Sendable>(_ call: @Sendable () async throws -> T) async throws -> T {
        if storeCalls == .onStoreExecutor {
            return try await withTaskExecutorPreference(StoreExecutor.shared, operation: call)
        }
        return try await call()
    }
}

/// The member whose lease a worker holds now, if any, and whether its commit is under way.
final class HeldLease: Sendable {
    private struct State {
        var member: Int?
        var committing = false
    }
    private let state = Mutex(State())

    /// The member held now.
    var current: Int? { state.withLock { $0.member } }

    /// Whether the held member's commit is under way: the store may give its lease up at any
    /// moment, so a renewal that finds it gone is no news.
    var committing: Bool { state.withLock { $0.committing } }

    /// Records that the worker holds `slot` (after a claim) or nothing (after a commit, or from
    /// the start of a release on, when the store gives the lease up).
    func hold(_ slot: Int?) {
        state.withLock { $0 = State(member: slot) }
    }

    /// Records that the commit of the held member starts. The heartbeat goes on renewing its
    /// lease until the commit returns: a commit may wait for others (PostgreSQL serialises an
    /// experiment's commits) longer than the lease.
    func startCommit() {
        state.withLock { $0.committing = true }
    }
}

/// Renews the held lease until cancelled.
struct Heartbeat: Sendable {
    let store: any PopulationStore
    let experiment: String
    let worker: String
    let lease: Duration
    let log: @Sendable (String) -> Void
    let held: HeldLease

    /// Renews every third of the lease; after a failed renewal, retries within a second.
    func run() async {
        var pause = lease / 3
        while !Task.isCancelled {
            try? await Task.sleep(for: pause)
            guard !Task.isCancelled, let member = held.current else { continue }
            do {
                try await store.renew(experiment: experiment, member: member, worker: worker, lease: lease)
                pause = lease / 3
            } catch let error as StoreError where error.code == .leaseLost {
                // A renewal racing a commit finds the lease already given up: expected.
                if held.current == member, !held.committing {
                    log("pbt: worker \(worker): lost member \(member) while training (\(error.message))")
                }
            } catch {
                if Task.isCancelled { return }
                log("pbt: worker \(worker): could not renew the lease on member \(member) (\(error)); retrying")
                pause = min(lease / 3, .seconds(1))
            }
        }
    }
}

/// A task executor with one serial dispatch queue of its own, outside the cooperative thread
/// pool that training saturates: heartbeats and store calls run there.
final class StoreExecutor: TaskExecutor {
    /// The executor every worker of the process shares (store calls mostly wait on I/O).
    static let shared = StoreExecutor()

    private let queue = DispatchQueue(label: "pbt.store")

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        queue.async { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
