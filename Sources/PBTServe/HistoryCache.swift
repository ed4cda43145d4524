import PBT
import PBTReport
import PBTStore

/// Experiment histories and rendered bodies, kept while an experiment does not change.
///
/// Every request reads the experiment's members (a few rows) and its stop; only when they
/// changed — every commit changes the committing member's step, checkpoint or hyperparameters —
/// are scores and events read again. A finished experiment is read once. Bodies (JSON, HTML) are made once
/// per version.
actor HistoryCache {
    /// A history and the version it has in this process (a counter bumped at each reload).
    struct Snapshot: Sendable {
        var history: ExperimentHistory
        var version: Int
    }

    private struct Cached {
        var state: [MemberState]
        var snapshot: Snapshot
        var bodies: [String: String] = [:]
    }

    /// What identifies a member's state between commits (the lease is left out: renewing it
    /// changes nothing a page shows).
    private struct MemberState: Hashable {
        var step: Int
        var status: MemberStatus
        var score: Double?
        var checkpoint: Int64?
        var failures: Int
        var hyperparameters: [String: String]

        init(_ record: MemberRecord) {
            step = record.step
            status = record.status
            score = record.score
            checkpoint = record.checkpoint
            failures = record.failures
            hyperparameters = record.hyperparameters.values.mapValues(\.description)
        }
    }

    private var cached: [String: Cached] = [:]
    private var generation = 0

    /// The current history of `entry`'s experiment.
    func snapshot(_ entry: StoreCatalog.Entry) async throws -> Snapshot {
        try await current(entry).snapshot
    }

    /// The body `kind` of the current version, made by `make` once per version.
    func body(
        _ entry: StoreCatalog.Entry, kind: String, make: @Sendable (ExperimentHistory) -> String
    ) async throws -> String {
        let current = try await current(entry)
        if let body = current.bodies[kind] { return body }
        let body = make(current.snapshot.history)
        let name = entry.experiment.name
        if cached[name]?.snapshot.version == current.snapshot.version { cached[name]?.bodies[kind] = body }
        return body
    }

    private func current(_ entry: StoreCatalog.Entry) async throws -> Cached {
        let name = entry.experiment.name
        if let known = cached[name], ExperimentProgress(known.snapshot.history).finished { return known }
        let state = try await entry.store.members(of: name).map(MemberState.init)
        // A `stop:` rule is recorded just after a commit, changing no member: read it too.
        let stop = try await entry.store.experiment(named: name)?.stop
        if let known = cached[name], known.state == state, known.snapshot.history.experiment.stop == stop {
            return known
        }
        let history = try await ExperimentHistory.load(name, from: entry.store)
        if let known = cached[name], known.state == state,
            known.snapshot.history.experiment.stop == history.experiment.stop
        {
            return known
        }
        generation += 1
        let fresh = Cached(
            state: history.members.map(MemberState.init), snapshot: Snapshot(history: history, version: generation))
        cached[name] = fresh
        return fresh
    }
}
