import Foundation
import PBTStore
import PostgresNIO

extension PostgresStore {
    public func claim(experiment name: String, worker: String, lease: Duration) async throws -> ClaimOutcome {
        let (logger, clock, seconds) = (self.logger, self.clock, lease.seconds)
        return try await read { connection in
            let experiment = try await self.experiment(name, connection)
            // One statement, so one round trip and atomic without BEGIN/COMMIT: pick and lease
            // a member, skipping rows other transactions hold (concurrent claims neither wait
            // nor collide); close a lapsed claim of it at its expiry; record the new claim.
            // `leased` reads `lapsed` first, so the old claim is closed before the new one is
            // inserted (one open claim per member is a unique index). The lease starts when
            // the member's row is locked (`lockedNow`), not when the statement started: a
            // statement that began before another worker's claim and commit of the member may
            // still pick it once that commit released it.
            let rows = try await connection.query(
                """
                WITH now AS (SELECT COALESCE(\(clock)::float8, \(unescaped: Self.serverNow)) AS t),
                pick AS (
                    SELECT slot FROM member, now
                    WHERE experiment = \(experiment.id) AND status = 'ready' AND (lease_expiry IS NULL OR lease_expiry <= now.t)
                    ORDER BY step, COALESCE(checkpoint, 0), slot LIMIT 1 FOR UPDATE OF member SKIP LOCKED),
                lapsed AS (
                    UPDATE claim SET ended = LEAST(expires, (SELECT t FROM now)), outcome = 'lapsed'
                    WHERE experiment = \(experiment.id) AND member IN (SELECT slot FROM pick) AND ended IS NULL
                    RETURNING 1),
                leased AS (
                    UPDATE member m
                    SET lease_worker = \(worker),
                        lease_expiry = COALESCE(\(clock)::float8, \(unescaped: Self.lockedNow)) + \(seconds)
                    FROM pick
                    WHERE m.experiment = \(experiment.id) AND m.slot = pick.slot AND (SELECT count(*) FROM lapsed) >= 0
                    RETURNING \(unescaped: PostgresExperiment.memberColumns(of: "m"))),
                recorded AS (
                    INSERT INTO claim (experiment, member, worker, started, expires)
                    SELECT \(experiment.id), slot, \(worker), lease_expiry - \(seconds), lease_expiry FROM leased)
                SELECT * FROM leased
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
            return .claimed(try experiment.member(row))
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
