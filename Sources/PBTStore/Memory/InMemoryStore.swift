import Foundation
import PBT
import Synchronization

/// A `PopulationStore` held in process memory: the fastest store, and the reference the
/// conformance suite checks every other store against. Nothing survives the process.
public final class InMemoryStore: PopulationStore {
    private let state = Mutex(MemoryState())
    private let keep: Int
    private let now: @Sendable () -> Date

    /// Creates an empty store.
    /// - Parameters:
    ///   - keep: checkpoints kept per member besides those a member points to (at least 1).
    ///   - now: the clock for leases (injected by tests).
    public init(keep: Int = 2, now: @escaping @Sendable () -> Date = Date.init) {
        self.keep = max(1, keep)
        self.now = now
    }

    public func create(_ experiment: ExperimentRecord, members: [Hyperparameters]) async throws -> Bool {
        try state.withLock { state in
            if let existing = state.experiments[experiment.name] {
                try existing.record.checkResume(with: experiment)
                return false
            }
            state.experiments[experiment.name] = MemoryExperiment(record: experiment, members: members)
            return true
        }
    }

    public var answersFromMemory: Bool { true }

    public func experiments() async throws -> [ExperimentRecord] {
        state.withLock {
            $0.experiments.values.map(\.record).sorted { ($0.createdAt, $0.name) < ($1.createdAt, $1.name) }
        }
    }

    public func experiment(named name: String) async throws -> ExperimentRecord? {
        state.withLock { $0.experiments[name]?.record }
    }

    public func claim(experiment: String, worker: String, lease: Duration) async throws -> ClaimOutcome {
        let time = now()
        return try state.withLock { experiments in
            try experiments.modify(experiment) { $0.claim(worker: worker, until: time.adding(lease), now: time) }
        }
    }

    public func renew(experiment: String, member: Int, worker: String, lease: Duration) async throws {
        let time = now()
        try state.withLock { experiments in
            try experiments.modify(experiment) { state in
                try state.checkLease(member, worker: worker, now: time)
                state.members[member].lease = Lease(worker: worker, expiresAt: time.adding(lease))
            }
        }
    }

    public func release(experiment: String, member: Int, worker: String) async throws {
        let time = now()
        try state.withLock { experiments in
            try experiments.modify(experiment) { state in
                try state.checkLease(member, worker: worker, now: time)
                state.members[member].lease = nil
            }
        }
    }

    public func commit(
        _ point: ReadyPoint, scoreWindow: Int,
        decide: @escaping @Sendable (PopulationState) throws -> [MemberUpdate]
    ) async throws -> CommitResult {
        let time = now()
        let keep = self.keep
        guard !point.score.isNaN else {
            throw StoreError.nanScore(experiment: point.experiment, member: point.member, step: point.step)
        }
        try StoreJSON.checkFinite(
            point.hyperparameters, "experiment '\(point.experiment)': member \(point.member)'s hyperparameters")
        return try state.withLock { experiments in
            let checkpoint = experiments.nextCheckpoint
            experiments.nextCheckpoint += 1
            return try experiments.modify(point.experiment) { state in
                try state.checkLease(point.member, worker: point.worker, now: time)
                // Record in place and undo on failure: copying the experiment would cost
                // O(history) per commit.
                let undo = state.record(point, id: checkpoint)
                let updates: [MemberUpdate]
                do {
                    updates = try decide(
                        PopulationState(
                            members: state.members, recentScores: state.scoreHistory,
                            lastExploitSteps: state.lastExploitSteps))
                    try state.validate(updates)
                } catch {
                    state.undo(undo)
                    throw error
                }
                state.apply(updates)
                state.members[point.member].lease = nil
                state.retainCheckpoints(of: point.member, keep: keep)
                return CommitResult(member: state.members[point.member], checkpoint: undo.checkpoint)
            }
        }
    }

    public func fail(experiment: String, member: Int, worker: String, failures: Int) async throws {
        let time = now()
        try state.withLock { experiments in
            try experiments.modify(experiment) { state in
                try state.checkLease(member, worker: worker, now: time)
                state.members[member].status = .failed
                state.members[member].failures = failures
                state.members[member].lease = nil
            }
        }
    }

    public func recordFailure(experiment: String, member: Int, worker: String, maxFailures: Int) async throws -> MemberRecord {
        let time = now()
        return try state.withLock { experiments in
            try experiments.modify(experiment) { state in
                try state.checkLease(member, worker: worker, now: time)
                state.members[member].failures += 1
                if state.members[member].failures > maxFailures { state.members[member].status = .failed }
                state.members[member].lease = nil
                return state.members[member]
            }
        }
    }

    public func members(of experiment: String) async throws -> [MemberRecord] {
        try state.withLock { try $0.modify(experiment) { $0.members } }
    }

    public func scores(of experiment: String) async throws -> [ScoreRecord] {
        try state.withLock { try $0.modify(experiment) { $0.scores } }
    }

    public func events(of experiment: String) async throws -> [ExploitEvent] {
        try state.withLock { try $0.modify(experiment) { $0.events } }
    }

    public func checkpoint(of experiment: String, id: Int64) async throws -> Checkpoint {
        try state.withLock { try $0.modify(experiment) { try $0.verifiedCheckpoint(id) } }
    }

    public func fallBack(experiment: String, member: Int, worker: String, reason: String) async throws -> MemberRecord {
        let time = now()
        return try state.withLock { experiments in
            try experiments.modify(experiment) { try $0.fallBack(member, worker: worker, reason: reason, now: time) }
        }
    }

    public func fallbacks(of experiment: String) async throws -> [FallbackRecord] {
        try state.withLock { try $0.modify(experiment) { $0.fallbacks } }
    }

    /// Flips one bit of a stored checkpoint, keeping its recorded digest: how tests corrupt
    /// the in-memory store (and the in-memory copy of a SQLite store).
    func corruptCheckpoint(of experiment: String, id: Int64) throws {
        try state.withLock { experiments in
            try experiments.modify(experiment) { state in
                guard state.checkpoints[id]?.bytes.isEmpty == false else { throw StoreError.missing(experiment: experiment, id: id) }
                state.checkpoints[id]!.bytes[0] ^= 0x01
            }
        }
    }
}

/// Everything an `InMemoryStore` holds.
struct MemoryState {
    var experiments: [String: MemoryExperiment] = [:]
    /// The id of the next checkpoint, of any experiment: ids are unique in a store, as in a
    /// SQLite or PostgreSQL table.
    var nextCheckpoint: Int64 = 1

    /// Runs `body` on the named experiment in place, or throws `experimentNotFound`.
    fileprivate mutating func modify<T>(_ name: String, _ body: (inout MemoryExperiment) throws -> T) throws -> T {
        guard experiments[name] != nil else {
            throw StoreError(.experimentNotFound, "no experiment named '\(name)' in the store")
        }
        return try body(&experiments[name]!)
    }
}

extension InMemoryStore {
    /// Runs `body` with everything the store holds, while no call can change it: how a SQLite
    /// store takes a consistent snapshot to write to its file.
    func withState<T>(_ body: (MemoryState) throws -> T) rethrows -> T {
        try state.withLock { try body($0) }
    }

    /// Adds `experiment` (read back from a file) unless one of that name is here.
    func adopt(_ experiment: MemoryExperiment) {
        state.withLock { state in
            if state.experiments[experiment.record.name] == nil { state.experiments[experiment.record.name] = experiment }
        }
    }

    /// Whether the store holds an experiment named `name`.
    func holds(_ name: String) -> Bool {
        state.withLock { $0.experiments[name] != nil }
    }

    /// Makes sure later checkpoint ids start at `next` or later.
    func reserveCheckpoints(from next: Int64) {
        state.withLock { $0.nextCheckpoint = max($0.nextCheckpoint, next) }
    }
}

extension Date {
    /// The date `duration` later.
    func adding(_ duration: Duration) -> Date {
        let (seconds, attoseconds) = duration.components
        return addingTimeInterval(Double(seconds) + Double(attoseconds) * 1e-18)
    }
}
