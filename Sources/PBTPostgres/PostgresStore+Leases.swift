import Foundation
import PBTStore
import PostgresNIO

extension PostgresStore {
    public func claim(experiment name: String, worker: String, lease: Duration) async throws -> ClaimOutcome {
        try await claim(experiment: name, worker: worker, lease: lease, preferring: [])
    }

    public func claim(
        experiment name: String, worker: String, lease: Duration, preferring preferred: Set<Int>
    ) async throws
        -> ClaimOutcome
    {
        let (logger, clock, seconds, preferred) = (self.logger, self.clock, lease.seconds, preferred.sorted())
        return try await withConnection { connection in
            let experiment = try await self.experiment(name, connection)
            // One call, atomic on its own (see `pbt_claim` in `PostgresSchema`).
            let rows = try await connection.query(
                """
                SELECT * FROM pbt_claim(\(experiment.id), \(worker), \(clock)::float8, \(seconds)::float8, \
                \(preferred)::bigint[])
                """,
                logger: logger
            ).collect()
            guard let row = rows.first else {
                throw StoreError(.invalid, "experiment '\(experiment.name)': the claim returned nothing")
            }
            // With no member to claim, one row of NULLs says whether any member is unfinished.
            let column = NamedColumns(row, context: "experiment '\(experiment.name)': a claim")
            guard try column("slot", as: Int?.self) != nil else {
                return try column("unfinished", as: Bool.self) ? .busy : .finished
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
                    UPDATE member SET lease_expiry = COALESCE(\(clock)::float8, \(unescaped: Self.serverNow))
                        + \(seconds)
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
                    UPDATE claim SET ended = GREATEST(COALESCE(\(clock)::float8, \(unescaped: Self.serverNow)),
                        started),
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
        _ experiment: PostgresExperiment, _ member: Int, _ worker: String, _ connection: PostgresConnection,
        _ logger: Logger
    ) async throws {
        let holder =
            try await connection.query(
                "SELECT lease_worker FROM member WHERE experiment = \(experiment.id) AND slot = \(member)",
                logger: logger
            ).collect().first?.decode(String?.self) ?? nil
        guard holder == worker else { throw experiment.leaseLost(member, worker: worker) }
    }
}
