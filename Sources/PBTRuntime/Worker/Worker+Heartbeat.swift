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
    /// extra (setting `held`), so the heartbeat adds no work per ready point.
    func startHeartbeat(_ held: HeldLease) -> Task<Void, Never> {
        let heartbeat = Heartbeat(store: store, experiment: experiment, worker: name, lease: lease, log: log, held: held)
        if #available(macOS 15.0, *) {
            return Task(executorPreference: HeartbeatExecutor.shared) { await heartbeat.run() }
        }
        return Task { await heartbeat.run() }
    }
}

extension Worker {
    /// Claims a member and names it in `held` at once, on the heartbeat's executor: when
    /// training keeps every thread of the cooperative pool busy, this task's continuation could
    /// wait longer than the lease before it runs, and the lease would lapse unrenewed. (The
    /// in-memory store skips the hop: its leases live and die with this process.)
    func claim(holding held: HeldLease) async throws -> ClaimOutcome {
        let claim = { @Sendable () async throws -> ClaimOutcome in
            let outcome = try await store.claim(experiment: experiment, worker: name, lease: lease)
            if case .claimed(let member) = outcome { held.hold(member.slot) }
            return outcome
        }
        if #available(macOS 15.0, *), !(store is InMemoryStore) {
            return try await withTaskExecutorPreference(HeartbeatExecutor.shared, operation: claim)
        }
        return try await claim()
    }
}

/// The member whose lease a worker holds now, if any.
final class HeldLease: Sendable {
    private let member = Mutex<Int?>(nil)

    /// The member held now.
    var current: Int? { member.withLock { $0 } }

    /// Records that the worker holds `slot` (after a claim) or nothing (from the start of a
    /// commit or release on, when the store gives the lease up).
    func hold(_ slot: Int?) {
        member.withLock { $0 = slot }
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
                if held.current == member {
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
/// pool that training saturates.
@available(macOS 15.0, *)
final class HeartbeatExecutor: TaskExecutor {
    /// The executor every heartbeat shares (renewals are short).
    static let shared = HeartbeatExecutor()

    private let queue = DispatchQueue(label: "pbt.heartbeat")

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        queue.async { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
