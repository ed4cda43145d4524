import Foundation
import PBTStore
import PostgresNIO

extension PostgresStore {
    public func claim(experiment name: String, worker: String, lease: Duration) async throws -> ClaimOutcome {
        let (logger, clock, seconds) = (self.logger, self.clock, lease.seconds)
        return try await transaction { connection in
            let experiment = try await self.experiment(name, connection)
            // Pick and lease in one statement; rows other transactions hold are skipped, so
            // concurrent claims neither wait nor collide. A lapsed claim of the picked member
            // is closed at its expiry.
            let rows = try await connection.query(
                """
                WITH now AS (SELECT COALESCE(\(clock)::float8, \(unescaped: Self.serverNow)) AS t),
                pick AS (
                    SELECT slot FROM member, now
                    WHERE experiment = \(experiment.id) AND status = 'ready' AND (lease_expiry IS NULL OR lease_expiry <= now.t)
                    ORDER BY step, COALESCE(checkpoint, 0), slot LIMIT 1 FOR UPDATE OF member SKIP LOCKED),
                lapsed AS (
                    UPDATE claim SET ended = LEAST(expires, (SELECT t FROM now)), outcome = 'lapsed'
                    WHERE experiment = \(experiment.id) AND member IN (SELECT slot FROM pick) AND ended IS NULL)
                UPDATE member m SET lease_worker = \(worker), lease_expiry = now.t + \(seconds)
                FROM pick, now WHERE m.experiment = \(experiment.id) AND m.slot = pick.slot
                RETURNING \(unescaped: PostgresExperiment.memberColumns(of: "m")), now.t
                """, logger: logger
            ).collect()
            guard let row = rows.first else {
                let unfinished = try await connection.query(
                    """
                    SELECT EXISTS (SELECT 1 FROM member WHERE experiment = \(experiment.id) AND status IN ('ready', 'waiting'))
                    """, logger: logger
                ).collect().first?.decode(Bool.self) ?? false
                return unfinished ? .busy : .finished
            }
            let member = try experiment.member(row)
            let started = try row.decode((Int, Int, String, String, String, Int?, Double?, String?, Double?, Int, Double).self).10
            try await connection.query(
                """
                INSERT INTO claim (experiment, member, worker, started, expires)
                VALUES (\(experiment.id), \(member.slot), \(worker), \(started), \(started + seconds))
                """, logger: logger)
            return .claimed(member)
        }
    }

    public func renew(experiment name: String, member: Int, worker: String, lease: Duration) async throws {
        let (logger, clock, seconds) = (self.logger, self.clock, lease.seconds)
        try await transaction { connection in
            let experiment = try await self.experiment(name, connection)
            try experiment.checkSlot(member)
            let renewed = try await connection.query(
                """
                WITH renewed AS (
                    UPDATE member SET lease_expiry = COALESCE(\(clock)::float8, \(unescaped: Self.serverNow)) + \(seconds)
                    WHERE experiment = \(experiment.id) AND slot = \(member) AND lease_worker = \(worker)
                    RETURNING lease_expiry)
                UPDATE claim SET expires = GREATEST(renewed.lease_expiry, claim.started) FROM renewed
                WHERE claim.experiment = \(experiment.id) AND claim.member = \(member) AND claim.worker = \(worker)
                  AND claim.ended IS NULL
                RETURNING claim.id
                """, logger: logger
            ).collect()
            if renewed.isEmpty { try await Self.checkHolder(experiment, member, worker, connection, logger) }
        }
    }

    public func release(experiment name: String, member: Int, worker: String) async throws {
        try await endLease(name, member: member, worker: worker, outcome: "released", failures: nil)
    }

    public func fail(experiment name: String, member: Int, worker: String, failures: Int) async throws {
        try await endLease(name, member: member, worker: worker, outcome: "failed", failures: failures)
    }

    public func recordFailure(experiment name: String, member: Int, worker: String, maxFailures: Int) async throws
        -> MemberRecord
    {
        let (logger, clock) = (self.logger, self.clock)
        return try await transaction { connection in
            let experiment = try await self.experiment(name, connection)
            try experiment.checkSlot(member)
            let rows = try await connection.query(
                """
                WITH counted AS (
                    UPDATE member SET failures = failures + 1, lease_worker = NULL, lease_expiry = NULL,
                        status = CASE WHEN failures + 1 > \(maxFailures) THEN 'failed' ELSE status END
                    WHERE experiment = \(experiment.id) AND slot = \(member) AND lease_worker = \(worker)
                    RETURNING \(unescaped: PostgresExperiment.memberColumns)),
                closed AS (
                    UPDATE claim SET ended = GREATEST(COALESCE(\(clock)::float8, \(unescaped: Self.serverNow)), started),
                        outcome = 'failed'
                    WHERE experiment = \(experiment.id) AND member IN (SELECT slot FROM counted) AND worker = \(worker)
                      AND ended IS NULL)
                SELECT * FROM counted
                """, logger: logger
            ).collect()
            guard let row = rows.first else { throw experiment.leaseLost(member, worker: worker) }
            return try experiment.member(row)
        }
    }

    /// Clears `worker`'s lease on `member` and closes its claim with `outcome`; with
    /// `failures`, also marks the member failed.
    private func endLease(_ name: String, member: Int, worker: String, outcome: String, failures: Int?) async throws {
        let (logger, clock) = (self.logger, self.clock)
        try await transaction { connection in
            let experiment = try await self.experiment(name, connection)
            try experiment.checkSlot(member)
            let ended = try await connection.query(
                """
                WITH ended AS (
                    UPDATE member SET lease_worker = NULL, lease_expiry = NULL,
                        status = CASE WHEN \(failures)::bigint IS NULL THEN status ELSE 'failed' END,
                        failures = COALESCE(\(failures)::bigint, failures)
                    WHERE experiment = \(experiment.id) AND slot = \(member) AND lease_worker = \(worker)
                    RETURNING slot),
                closed AS (
                    UPDATE claim SET ended = GREATEST(COALESCE(\(clock)::float8, \(unescaped: Self.serverNow)), started),
                        outcome = \(outcome)
                    WHERE experiment = \(experiment.id) AND member IN (SELECT slot FROM ended) AND worker = \(worker)
                      AND ended IS NULL)
                SELECT slot FROM ended
                """, logger: logger
            ).collect()
            guard !ended.isEmpty else { throw experiment.leaseLost(member, worker: worker) }
        }
    }

    /// Throws `leaseLost` unless `worker` holds `member` (its claim row may be missing).
    static func checkHolder(
        _ experiment: PostgresExperiment, _ member: Int, _ worker: String, _ connection: PostgresConnection, _ logger: Logger
    ) async throws {
        let holder = try await connection.query(
            "SELECT lease_worker FROM member WHERE experiment = \(experiment.id) AND slot = \(member)", logger: logger
        ).collect().first?.decode(String?.self) ?? nil
        guard holder == worker else { throw experiment.leaseLost(member, worker: worker) }
    }
}
