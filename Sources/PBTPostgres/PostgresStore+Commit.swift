import Foundation
import PBT
import PBTStore
import PostgresNIO

extension PostgresStore {
    /// Two calls around the worker's decision (see `PostgresSchema`, migrations v2, v6, v7 and v8):
    /// `pbt_commit_begin` checks the lease, takes the experiment's commit lock, reserves the
    /// point's checkpoint id and reads the population (with each member's latest copy of a
    /// donor); `pbt_commit_record`, one transaction,
    /// records the point, applies the decision, releases the lease and gives the lock back when
    /// it commits. The population `decide` sees includes the point.
    public func commit(
        _ point: ReadyPoint, scoreWindow: Int, historyRows: Int,
        decide: @escaping @Sendable (PopulationState) throws -> [MemberUpdate]
    ) async throws -> CommitResult {
        guard !point.score.isNaN else {
            throw StoreError.nanScore(experiment: point.experiment, member: point.member, step: point.step)
        }
        // Hash, encode and write any checkpoint file before taking the lock.
        try point.checkMetrics()
        let hyperparameters = try StoreJSON.encode(
            point.hyperparameters, "experiment '\(point.experiment)': member \(point.member)'s hyperparameters")
        let metrics = try StoreJSON.text(
            point.metrics, "experiment '\(point.experiment)': member \(point.member)'s metrics")
        let (digest, size, bytes) = try keeping(point)
        let (logger, clock, keep, window) = (self.logger, self.clock, self.keep, max(1, scoreWindow))
        let (result, removed) = try await withConnection { connection in
            let experiment = try await self.experiment(point.experiment, connection)
            try experiment.checkSlot(point.member)
            // From the first call on, the experiment's commit lock may be this session's:
            // any failure before the second call has taken it over gives it back.
            do {
                let rows = try await Self.functionErrors(experiment, point) {
                    try await connection.query(
                        "SELECT * FROM pbt_commit_begin(\(experiment.id), \(point.member), \(point.worker), \(window))",
                        logger: logger
                    ).collect()
                }
                var (state, checkpoint) = try Self.population(rows, experiment)
                state.members[point.member].step = point.step
                state.members[point.member].score = point.score
                state.members[point.member].checkpoint = checkpoint
                state.recentScores[point.member] = Array(
                    (state.recentScores[point.member] + [point.score]).suffix(window))
                if historyRows > 0 {
                    // The point's own score is recorded by the second call: it is the last.
                    state.history =
                        try await Self.scores(of: experiment, latest: historyRows - 1, connection, logger)
                        + [point.scoreRecord(at: nil)]
                    state.events = try await Self.events(of: experiment, latest: historyRows, connection, logger)
                }
                let decision = try DecisionColumns(try decide(state), experiment)
                let finished = try await Self.functionErrors(experiment, point) {
                    try await connection.query(
                        """
                        SELECT * FROM pbt_commit_record(\(experiment.id), \(point.member), \(point.worker),
                            \(clock)::float8,
                            \(Int(checkpoint)), \(point.step), \(point.score), \(hyperparameters), \(digest),
                            \(size), \(bytes)::bytea, \(keep), \(decision.slots), \(decision.steps),
                            \(decision.statuses), \(decision.hyperparameters), \(decision.checkpoints),
                                \(decision.eventMembers),
                            \(decision.eventSteps), \(decision.eventDonors), \(decision.eventDonorSteps),
                                \(decision.eventBefore),
                            \(decision.eventAfter), \(decision.eventMutations), \(metrics), \(decision.scoreSlots),
                            \(decision.scores))
                        """, logger: logger
                    ).collect()
                }
                guard let row = finished.first else { throw experiment.leaseLost(point.member, worker: point.worker) }
                let removed = try NamedColumns(row, context: "experiment '\(experiment.name)': a commit")(
                    "removed", as: [String].self)
                return (CommitResult(member: try experiment.member(row), checkpoint: checkpoint), removed)
            } catch {
                await Self.giveBackCommitLock(connection, after: error, logger)
                throw error
            }
        }
        if let files, !removed.isEmpty {
            try? await removeUnreferenced(removed, files)
        }
        return result
    }

    /// The population `pbt_commit_begin` read, and the checkpoint id it reserved.
    private static func population(
        _ rows: [PostgresRow], _ experiment: PostgresExperiment
    ) throws
        -> (PopulationState, Int64)
    {
        var members: [MemberRecord] = [], recent: [[Double]] = [], lastCopies: [Int?] = []
        var reserved: Int?
        for row in rows {
            members.append(try experiment.member(row))
            let column = NamedColumns(row, context: "experiment '\(experiment.name)': pbt_commit_begin")
            recent.append(try column("recent"))
            lastCopies.append(try column("last_copy"))
            reserved = try column("reserved", as: Int.self)
        }
        guard let reserved, members.count == experiment.population else {
            throw StoreError(.invalid, "experiment '\(experiment.name)': members are missing from the store")
        }
        return (PopulationState(members: members, recentScores: recent, lastExploitSteps: lastCopies), Int64(reserved))
    }

    /// Releases any commit lock this session holds after a failed commit, so that the
    /// connection goes back to the pool without it; closes the connection if that fails. A
    /// connection that is gone took its session's locks with it (and a query sent on it would
    /// never complete: see `transaction`).
    private static func giveBackCommitLock(
        _ connection: PostgresConnection, after error: any Error, _ logger: Logger
    ) async {
        guard !connection.isClosed, !PostgresFailure.isConnectionLoss(error) else { return }
        do {
            try await connection.query("SELECT pg_advisory_unlock_all()", logger: logger)
        } catch {
            try? await connection.close()
        }
    }

    /// Runs `call`, turning the commit functions' own errors into `StoreError`s: `PBT01` (the
    /// worker no longer holds the member) and `PBT02` (an update names a missing checkpoint).
    private static func functionErrors<T>(
        _ experiment: PostgresExperiment, _ point: ReadyPoint, _ call: () async throws -> T
    ) async throws -> T {
        do {
            return try await call()
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "PBT01" {
            throw experiment.leaseLost(point.member, worker: point.worker)
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "PBT02" {
            throw StoreError(
                .checkpointMissing,
                "experiment '\(experiment.name)': \(error.serverInfo?[.message] ?? "missing checkpoint")")
        }
    }
}

/// A decision's updates and events as columns, the form `pbt_commit_record` takes them in.
struct DecisionColumns {
    var slots: [Int] = [], steps: [Int] = [], statuses: [String] = [], hyperparameters: [String] = []
    /// Checkpoint ids, 0 for none.
    var checkpoints: [Int] = []
    /// The slots whose scores the decision sets, and those scores.
    var scoreSlots: [Int] = [], scores: [Double] = []
    var eventMembers: [Int] = [], eventSteps: [Int] = [], eventDonors: [Int] = [], eventDonorSteps: [Int] = []
    var eventBefore: [String] = [], eventAfter: [String] = [], eventMutations: [String] = []

    /// Checks that every update and event names a member of `experiment` and holds only finite
    /// hyperparameters and a score that is not NaN, and encodes them.
    init(_ updates: [MemberUpdate], _ experiment: PostgresExperiment) throws {
        for update in updates {
            guard (0..<experiment.population).contains(update.slot) else {
                throw StoreError(
                    .memberOutOfRange,
                    """
                    experiment '\(experiment.name)': update for member \(update.slot) \
                    out of range 0..<\(experiment.population)
                    """
                )
            }
            slots.append(update.slot)
            steps.append(update.step)
            statuses.append(update.status.rawValue)
            hyperparameters.append(
                try StoreJSON.encode(
                    update.hyperparameters, "experiment '\(experiment.name)': member \(update.slot)'s hyperparameters"))
            checkpoints.append(update.checkpoint.map(Int.init) ?? 0)
            if let score = update.score {
                guard !score.isNaN else {
                    throw StoreError.nanUpdateScore(experiment: experiment.name, member: update.slot)
                }
                scoreSlots.append(update.slot)
                scores.append(score)
            }
            guard let event = update.event else { continue }
            try experiment.checkSlot(event.member)
            try experiment.checkSlot(event.donor)
            let label = "experiment '\(experiment.name)': event of member \(event.member)"
            eventMembers.append(event.member)
            eventSteps.append(event.step)
            eventDonors.append(event.donor)
            eventDonorSteps.append(event.donorStep)
            eventBefore.append(try StoreJSON.encode(event.before, label))
            eventAfter.append(try StoreJSON.encode(event.after, label))
            eventMutations.append(try StoreJSON.encode(event.mutations, label))
        }
    }
}
