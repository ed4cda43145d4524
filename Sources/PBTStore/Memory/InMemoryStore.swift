import Foundation
import PBT
import Synchronization

/// A `PopulationStore` held in process memory: the fastest store, and the reference the
/// conformance suite checks every other store against. Nothing survives the process.
///
/// Checkpoints of `CheckpointPayload.fileThreshold` bytes or more are kept as files in a
/// temporary directory the store owns (removed with the store), so that large states are not
/// held in memory here either.
public final class InMemoryStore: PopulationStore {
    private let state = Mutex(MemoryState())
    private let keep: Int
    private let now: @Sendable () -> Date
    /// Where checkpoint files go.
    let files: CheckpointDirectory
    /// Whether the store owns `files`: then it removes garbage files as soon as retention makes
    /// them, and the directory with the store. A SQLite store's population does not: its file's
    /// rows name files too, and they go only once the rows are gone (`SQLiteWriter`).
    private let ownsFiles: Bool

    /// Creates an empty store.
    /// - Parameters:
    ///   - keep: checkpoints kept per member besides those a member points to (at least 1).
    ///   - now: the clock for leases (injected by tests).
    public convenience init(keep: Int = 2, now: @escaping @Sendable () -> Date = Date.init) {
        let directory = CheckpointDirectory(
            path: NSTemporaryDirectory() + "pbt-memory-checkpoints-\(UUID().uuidString)")
        self.init(keep: keep, now: now, files: directory, owning: true)
    }

    /// Creates an empty store keeping checkpoint files in `files`, which it removes with itself
    /// when `owning`.
    package init(keep: Int, now: @escaping @Sendable () -> Date, files: CheckpointDirectory, owning: Bool) {
        self.keep = max(1, keep)
        self.now = now
        self.files = files
        ownsFiles = owning
    }

    deinit {
        if ownsFiles { try? FileManager.default.removeItem(atPath: files.path) }
    }

    public var checkpointStaging: String? { files.path }

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

    public func experiments() async throws -> [ExperimentRecord] {
        state.withLock {
            $0.experiments.values.map(\.record).sorted { ($0.createdAt, $0.name) < ($1.createdAt, $1.name) }
        }
    }

    public func experiment(named name: String) async throws -> ExperimentRecord? {
        state.withLock { $0.experiments[name]?.record }
    }

    public func claim(experiment: String, worker: String, lease: Duration) async throws -> ClaimOutcome {
        try await claim(experiment: experiment, worker: worker, lease: lease, preferring: [])
    }

    public func claim(
        experiment: String, worker: String, lease: Duration, preferring preferred: Set<Int>
    ) async throws
        -> ClaimOutcome
    {
        let time = now()
        return try state.withLock { experiments in
            try experiments.modify(experiment) {
                $0.claim(worker: worker, until: time.adding(lease), now: time, preferring: preferred)
            }
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
        _ point: ReadyPoint, scoreWindow: Int, historyRows: Int,
        decide: @escaping @Sendable (PopulationState) throws -> [MemberUpdate]
    ) async throws -> CommitResult {
        let time = now()
        let recorded = time.recorded
        let keep = self.keep
        guard !point.score.isNaN else {
            throw StoreError.nanScore(experiment: point.experiment, member: point.member, step: point.step)
        }
        try point.checkMetrics()
        try StoreJSON.checkFinite(
            point.hyperparameters, "experiment '\(point.experiment)': member \(point.member)'s hyperparameters")
        let (payload, sha256) = try keeping(point.payload)
        let files = self.files, ownsFiles = self.ownsFiles
        return try state.withLock { experiments in
            defer { if case .file = payload { experiments.adopted(sha256) } }
            let checkpoint = experiments.nextCheckpoint
            experiments.nextCheckpoint += 1
            let (result, dropped) = try experiments.modify(point.experiment) { state in
                try state.checkLease(point.member, worker: point.worker, now: time)
                // Record in place and undo on failure: copying the experiment would cost
                // O(history) per commit.
                let undo = state.record(point, payload: payload, sha256: sha256, id: checkpoint, at: recorded)
                let updates: [MemberUpdate]
                do {
                    updates = try decide(state.population(historyRows: historyRows))
                    try state.validate(updates)
                } catch {
                    state.undo(undo)
                    throw error
                }
                state.apply(updates, at: recorded)
                state.members[point.member].lease = nil
                let dropped = state.droppedFiles
                state.retainCheckpoints(of: point.member, keep: keep)
                let result = CommitResult(member: state.members[point.member], checkpoint: undo.checkpoint)
                return (result, state.droppedFiles > dropped)
            }
            if dropped, ownsFiles { files.sweep(keeping: experiments.referencedFiles) }
            return result
        }
    }

    /// How the store keeps `payload`, and its SHA-256: as bytes below
    /// `CheckpointPayload.fileThreshold` (a small file is read), else adopted as a file, which
    /// no sweep removes until `MemoryState.adopted` is called for its digest.
    private func keeping(_ payload: CheckpointPayload) throws -> (CheckpointPayload, String) {
        guard payload.size >= CheckpointPayload.fileThreshold else {
            let bytes = try payload.bytes()
            return (.bytes(bytes), ContentDigest.hex(bytes))
        }
        let sha256 = payload.sha256
        state.withLock { $0.adopting[sha256, default: 0] += 1 }
        do {
            return (.file(try files.adopt(payload)), sha256)
        } catch {
            state.withLock { $0.adopted(sha256) }
            throw error
        }
    }

    public func recordRun(experiment: String, seconds: Double?, stop: StopRecord?) async throws -> ExperimentRecord {
        try state.withLock { experiments in
            try experiments.modify(experiment) { state in
                state.record = try state.record.recording(seconds: seconds, stop: stop)
                return state.record
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

    public func recordFailure(
        experiment: String, member: Int, worker: String, maxFailures: Int, scoreWindow: Int, historyRows: Int,
        decide: @escaping @Sendable (PopulationState) throws -> [MemberUpdate]
    ) async throws -> MemberRecord {
        let time = now()
        return try state.withLock { experiments in
            try experiments.modify(experiment) { state in
                try state.checkLease(member, worker: worker, now: time)
                var failed = state.members[member]
                failed.failures += 1
                failed.lease = nil
                guard failed.failures > maxFailures else {
                    state.members[member] = failed
                    return failed
                }
                failed.status = .failed
                let before = state.members[member]
                state.members[member] = failed
                let updates: [MemberUpdate]
                do {
                    updates = try decide(state.population(historyRows: historyRows))
                    try state.validate(updates)
                } catch {
                    state.members[member] = before
                    throw error
                }
                state.apply(updates, at: time.recorded)
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

    public func scores(of experiment: String, from index: Int) async throws -> [ScoreRecord] {
        try state.withLock { try $0.modify(experiment) { Array($0.scores.dropFirst(max(0, index))) } }
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

    public func storedCheckpoints(of experiment: String) async throws -> [StoredCheckpoint] {
        try state.withLock {
            try $0.modify(experiment) { $0.checkpoints.values.sorted { $0.id < $1.id }.map(StoredCheckpoint.init) }
        }
    }

    public func delete(experiment: String) async throws {
        let files = self.files, ownsFiles = self.ownsFiles
        try state.withLock { state in
            guard state.experiments.removeValue(forKey: experiment) != nil else {
                throw MemoryState.notFound(experiment)
            }
            if ownsFiles { files.sweep(keeping: state.referencedFiles) }
        }
    }

    /// Flips one bit of a stored checkpoint (its bytes, or its file's first byte), keeping its
    /// recorded digest: how tests corrupt the in-memory store (and the in-memory copy of a
    /// SQLite store, whose files are the file's too).
    func corruptCheckpoint(of experiment: String, id: Int64) throws {
        try state.withLock { experiments in
            try experiments.modify(experiment) { state in
                switch state.checkpoints[id]?.payload {
                case .bytes(var bytes) where !bytes.isEmpty:
                    bytes[0] ^= 0x01
                    state.checkpoints[id]!.payload = .bytes(bytes)
                case .file(let file):
                    let handle = try FileHandle(forUpdating: URL(fileURLWithPath: file.path))
                    defer { try? handle.close() }
                    let first = try handle.read(upToCount: 1) ?? Data()
                    try handle.seek(toOffset: 0)
                    try handle.write(contentsOf: Data(first.map { $0 ^ 0x01 }))
                default:
                    throw StoreError.missing(experiment: experiment, id: id)
                }
            }
        }
    }
}

/// Everything an `InMemoryStore` holds.
package struct MemoryState {
    package var experiments: [String: MemoryExperiment] = [:]
    /// The id of the next checkpoint, of any experiment: ids are unique in a store, as in a
    /// SQLite or PostgreSQL table.
    var nextCheckpoint: Int64 = 1
    /// The checkpoint files being adopted by commits that have not recorded them yet, by
    /// SHA-256, with how many commits adopt each.
    var adopting: [String: Int] = [:]

    /// The SHA-256 of every checkpoint file a checkpoint names or a commit is adopting: the
    /// files a sweep must keep.
    package var referencedFiles: Set<String> {
        Set(experiments.values.flatMap(\.fileDigests)).union(adopting.keys)
    }

    /// Notes that a commit adopting the file of `sha256` has recorded it or failed.
    mutating func adopted(_ sha256: String) {
        adopting[sha256, default: 1] -= 1
        if adopting[sha256] == 0 { adopting[sha256] = nil }
    }

    /// `experimentNotFound` for `name`.
    static func notFound(_ name: String) -> StoreError {
        StoreError(.experimentNotFound, "no experiment named '\(name)' in the store")
    }

    /// Runs `body` on the named experiment in place, or throws `experimentNotFound`.
    fileprivate mutating func modify<T>(_ name: String, _ body: (inout MemoryExperiment) throws -> T) throws -> T {
        guard experiments[name] != nil else { throw Self.notFound(name) }
        return try body(&experiments[name]!)
    }
}

/// What a store that works on an `InMemoryStore` and writes it behind (`PBTSQLite`'s) needs
/// besides the protocol: the package's interface, not the library's.
extension InMemoryStore {
    /// Runs `body` with everything the store holds, while no call can change it: how a SQLite
    /// store takes a consistent snapshot to write to its file.
    package func withState<T>(_ body: (MemoryState) throws -> T) rethrows -> T {
        try state.withLock { try body($0) }
    }

    /// Adds `experiment` (read back from a file) unless one of that name is here.
    package func adopt(_ experiment: MemoryExperiment) {
        state.withLock { state in
            if state.experiments[experiment.record.name] == nil {
                state.experiments[experiment.record.name] = experiment
            }
        }
    }

    /// Whether the store holds an experiment named `name`.
    package func holds(_ name: String) -> Bool {
        state.withLock { $0.experiments[name] != nil }
    }

    /// Makes sure later checkpoint ids start at `next` or later.
    package func reserveCheckpoints(from next: Int64) {
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
