import Foundation
import GRDB
import PBT
import PBTStore

/// Calls that change the population: answered from memory, written behind by `SQLiteWriter`.
extension SQLiteStore {
    public func flush() async throws {
        try await work?.writer.flush()
    }

    public func claim(experiment: String, worker: String, lease: Duration) async throws -> ClaimOutcome {
        try await claim(experiment: experiment, worker: worker, lease: lease, preferring: [])
    }

    public func claim(
        experiment: String, worker: String, lease: Duration, preferring preferred: Set<Int>
    ) async throws
        -> ClaimOutcome
    {
        try await changing(experiment) {
            try await $0.claim(experiment: experiment, worker: worker, lease: lease, preferring: preferred)
        }
    }

    public func renew(experiment: String, member: Int, worker: String, lease: Duration) async throws {
        try await changing(experiment) {
            try await $0.renew(experiment: experiment, member: member, worker: worker, lease: lease)
        }
    }

    public func release(experiment: String, member: Int, worker: String) async throws {
        try await changing(experiment) { try await $0.release(experiment: experiment, member: member, worker: worker) }
    }

    public func commit(
        _ point: ReadyPoint, scoreWindow: Int, historyRows: Int,
        decide: @escaping @Sendable (PopulationState) throws -> [MemberUpdate]
    ) async throws -> CommitResult {
        try await work?.writer.waitForRoom()
        return try await changing(point.experiment, commits: 1) {
            try await $0.commit(point, scoreWindow: scoreWindow, historyRows: historyRows, decide: decide)
        }
    }

    public func recordRun(experiment: String, seconds: Double?, stop: StopRecord?) async throws -> ExperimentRecord {
        try await changing(experiment) { try await $0.recordRun(experiment: experiment, seconds: seconds, stop: stop) }
    }

    public func fail(experiment: String, member: Int, worker: String, failures: Int) async throws {
        try await changing(experiment) {
            try await $0.fail(experiment: experiment, member: member, worker: worker, failures: failures)
        }
    }

    public func recordFailure(
        experiment: String, member: Int, worker: String, maxFailures: Int, scoreWindow: Int, historyRows: Int,
        decide: @escaping @Sendable (PopulationState) throws -> [MemberUpdate]
    ) async throws -> MemberRecord {
        try await changing(experiment) {
            try await $0.recordFailure(
                experiment: experiment, member: member, worker: worker, maxFailures: maxFailures,
                scoreWindow: scoreWindow, historyRows: historyRows, decide: decide)
        }
    }

    public func fallBack(experiment: String, member: Int, worker: String, reason: String) async throws -> MemberRecord {
        try await changing(experiment) {
            try await $0.fallBack(experiment: experiment, member: member, worker: worker, reason: reason)
        }
    }

    /// Runs `call` on the population and has its change written.
    /// - Parameter commits: how many ready points `call` commits.
    /// - Throws: `StoreError.unavailable` for a store opened only to read, or one whose writer
    ///   failed or was closed.
    private func changing<T>(
        _ experiment: String, commits: Int = 0, _ call: (InMemoryStore) async throws -> T
    ) async throws -> T {
        let work = try writable()
        let result = try await population(work, experiment, call)
        work.writer.changed(commits: commits)
        return result
    }

    /// What the store works on, once it has checked that it may still change.
    /// - Throws: `StoreError.unavailable` for a store opened only to read, or one whose writer
    ///   failed or was closed.
    func writable() throws -> Work {
        guard let work else {
            throw StoreError(.unavailable, "the SQLite store '\(path)' was opened only to read; it cannot change")
        }
        try work.writer.checkWriting()
        return work
    }

    /// Runs `call` on the population, first reading the experiment from the file when the
    /// population does not hold it yet.
    func population<T>(_ work: Work, _ experiment: String, _ call: (InMemoryStore) async throws -> T) async throws -> T
    {
        do {
            return try await call(work.memory)
        } catch let error as StoreError where error.code == .experimentNotFound {
            guard try load(experiment, into: work) else { throw error }
            return try await call(work.memory)
        }
    }

    /// Reads experiment `name` from the file into the population, unless it is there already.
    /// - Returns: false when the file holds no such experiment.
    func load(_ name: String, into work: Work) throws -> Bool {
        try work.loading.withLock { _ in
            if work.memory.holds(name) { return true }
            let files = checkpointFiles
            let loaded = try translatingErrors {
                try pool.read { db in try SQLiteExperiment.find(db, named: name)?.load(db, files: files) }
            }
            guard let (experiment, image) = loaded else { return false }
            work.writer.know(name, as: image)
            work.memory.adopt(experiment)
            return true
        }
    }
}
