import Foundation
import PBT
import PBTStore
import PostgresNIO

extension PostgresStore {
    /// One transaction under the experiment's commit lock: counts the failure and, when the
    /// member is marked failed, applies what `decide` makes of the population after it.
    public func recordFailure(
        experiment name: String, member: Int, worker: String, maxFailures: Int, scoreWindow: Int, historyRows: Int,
        decide: @escaping @Sendable (PopulationState) throws -> [MemberUpdate]
    ) async throws -> MemberRecord {
        let (logger, clock, window) = (self.logger, self.clock, max(1, scoreWindow))
        return try await transaction { connection in
            let experiment = try await self.experiment(name, connection)
            try experiment.checkSlot(member)
            try await connection.query(
                "SELECT pg_advisory_xact_lock(\(unescaped: PostgresSchema.commitLockKey), \(experiment.id)::int)",
                logger: logger)
            let rows = try await connection.query(
                """
                WITH counted AS (
                    UPDATE member SET failures = failures + 1, lease_worker = NULL, lease_expiry = NULL,
                        status = CASE WHEN failures + 1 > \(maxFailures) THEN 'failed' ELSE status END
                    WHERE experiment = \(experiment.id) AND slot = \(member) AND lease_worker = \(worker)
                    RETURNING \(unescaped: PostgresExperiment.memberColumns)),
                closed AS (
                    UPDATE claim SET ended = GREATEST(COALESCE(\(clock)::float8, \(unescaped: Self.serverNow)),
                        started),
                        outcome = 'failed'
                    WHERE experiment = \(experiment.id) AND member IN (SELECT slot FROM counted) AND worker = \(worker)
                      AND ended IS NULL)
                SELECT * FROM counted
                """, logger: logger
            ).collect()
            guard let row = rows.first else { throw experiment.leaseLost(member, worker: worker) }
            let counted = try experiment.member(row)
            guard counted.status == .failed else { return counted }
            var state = PopulationState(
                members: try await experiment.members(connection, logger),
                recentScores: try await Self.recentScores(of: experiment, window: window, connection, logger),
                lastExploitSteps: try await Self.lastExploitSteps(experiment, connection, logger))
            if historyRows > 0 {
                state.history = try await Self.scores(of: experiment, latest: historyRows, connection, logger)
                state.events = try await Self.events(of: experiment, latest: historyRows, connection, logger)
            }
            try await Self.apply(
                try DecisionColumns(try decide(state), experiment), experiment, at: clock, connection, logger)
            return counted
        }
    }

    /// Each member's latest `window` scores, oldest first, by slot.
    private static func recentScores(
        of experiment: PostgresExperiment, window: Int, _ connection: PostgresConnection, _ logger: Logger
    ) async throws -> [[Double]] {
        var recent = [[Double]](repeating: [], count: experiment.population)
        let rows = try await connection.query(
            """
            SELECT r.member, r.score FROM (
                SELECT member, score, id, row_number() OVER (PARTITION BY member ORDER BY id DESC) AS n
                FROM score WHERE experiment = \(experiment.id)) r
            WHERE r.n <= \(window) ORDER BY r.member, r.id
            """, logger: logger)
        for try await (member, score) in rows.decode((Int, Double).self) where recent.indices.contains(member) {
            recent[member].append(score)
        }
        return recent
    }

    /// Applies a decision outside a commit (no point recorded), as `pbt_commit_finish` does
    /// within one: the members' updates, then the events in order, stamped with the time.
    private static func apply(
        _ decision: DecisionColumns, _ experiment: PostgresExperiment, at clock: Double?,
        _ connection: PostgresConnection, _ logger: Logger
    ) async throws {
        guard !decision.slots.isEmpty else { return }
        try await connection.query(
            """
            UPDATE member m SET step = u.step, status = u.status, hyperparameters = u.hyperparameters,
                checkpoint = NULLIF(u.checkpoint, 0)
            FROM unnest(\(decision.slots)::bigint[], \(decision.steps)::bigint[], \(decision.statuses)::text[],
                \(decision.hyperparameters)::text[], \(decision.checkpoints)::bigint[])
                AS u(slot, step, status, hyperparameters, checkpoint)
            WHERE m.experiment = \(experiment.id) AND m.slot = u.slot
            """, logger: logger)
        if !decision.scoreSlots.isEmpty {
            try await connection.query(
                """
                UPDATE member m SET score = u.score
                FROM unnest(\(decision.scoreSlots)::bigint[], \(decision.scores)::float8[]) AS u(slot, score)
                WHERE m.experiment = \(experiment.id) AND m.slot = u.slot
                """, logger: logger)
        }
        try await connection.query(
            """
            INSERT INTO event (experiment, sequence, member, step, donor, donor_step,
                hyperparameters_before, hyperparameters_after, mutations, recorded)
            SELECT \(experiment.id),
                (SELECT COALESCE(MAX(v.sequence), 0) FROM event v WHERE v.experiment = \(experiment.id)) + e.ordinal,
                e.member, e.step, e.donor, e.donor_step, e.before, e.after, e.mutations,
                COALESCE(\(clock)::float8, \(unescaped: Self.serverNow))
            FROM unnest(\(decision.eventMembers)::bigint[], \(decision.eventSteps)::bigint[],
                \(decision.eventDonors)::bigint[], \(decision.eventDonorSteps)::bigint[],
                    \(decision.eventBefore)::text[],
                \(decision.eventAfter)::text[], \(decision.eventMutations)::text[])
                WITH ORDINALITY AS e(member, step, donor, donor_step, before, after, mutations, ordinal)
            """, logger: logger)
    }

    /// The step of each member's latest copy of another member (nil if none), read under the
    /// experiment's commit lock.
    private static func lastExploitSteps(
        _ experiment: PostgresExperiment, _ connection: PostgresConnection, _ logger: Logger
    ) async throws -> [Int?] {
        var steps = [Int?](repeating: nil, count: experiment.population)
        let rows = try await connection.query(
            """
            SELECT member, MAX(step) FROM event
            WHERE experiment = \(experiment.id) AND donor <> member GROUP BY member
            """, logger: logger)
        for try await (member, step) in rows.decode((Int, Int).self) where steps.indices.contains(member) {
            steps[member] = step
        }
        return steps
    }
}
