import Foundation
import PBT
import PBTStore
import PostgresNIO

extension PostgresStore {
    public func commit(
        _ point: ReadyPoint, scoreWindow: Int,
        decide: @escaping @Sendable (PopulationState) throws -> [MemberUpdate]
    ) async throws -> CommitResult {
        guard !point.score.isNaN else {
            throw StoreError.nanScore(experiment: point.experiment, member: point.member, step: point.step)
        }
        // Hash, encode and write any checkpoint file before the transaction.
        let digest = SHA256.hex(point.checkpoint)
        let hyperparameters = try StoreJSON.encode(
            point.hyperparameters, "experiment '\(point.experiment)': member \(point.member)'s hyperparameters")
        let bytes: Data? = files == nil ? Data(point.checkpoint) : nil
        try files?.write(point.checkpoint, sha256: digest, location: location)
        let (logger, clock, keep, window) = (self.logger, self.clock, self.keep, max(1, scoreWindow))
        let (result, removed) = try await transaction { connection in
            let experiment = try await Self.lockForCommit(point, connection, logger)
            let checkpoint = try await connection.query(
                """
                WITH saved AS (
                    INSERT INTO checkpoint (experiment, member, step, sha256, size, bytes, in_file)
                    VALUES (\(experiment.id), \(point.member), \(point.step), \(digest), \(point.checkpoint.count),
                            \(bytes)::bytea, \(bytes == nil))
                    RETURNING id),
                scored AS (
                    INSERT INTO score (experiment, member, step, score, hyperparameters)
                    VALUES (\(experiment.id), \(point.member), \(point.step), \(point.score), \(hyperparameters)))
                UPDATE member SET step = \(point.step), score = \(point.score), checkpoint = saved.id FROM saved
                WHERE experiment = \(experiment.id) AND slot = \(point.member)
                RETURNING saved.id
                """, logger: logger
            ).collect().first?.decode(Int.self)
            guard let checkpoint else { throw experiment.leaseLost(point.member, worker: point.worker) }
            let state = try await Self.population(experiment, window: window, connection, logger)
            for update in try decide(state) {
                try await Self.apply(update, experiment, connection, logger)
            }
            return try await Self.finish(
                point, recorded: Int64(checkpoint), experiment, keep: keep, clock: clock, connection, logger)
        }
        if let files, !removed.isEmpty {
            try? await removeUnreferenced(removed, files)
        }
        return result
    }

    /// Locks the experiment (serialising its commits) and the committing member, and checks
    /// that `point.worker` holds the member.
    private static func lockForCommit(
        _ point: ReadyPoint, _ connection: PostgresConnection, _ logger: Logger
    ) async throws -> PostgresExperiment {
        let rows = try await connection.query(
            """
            SELECT e.id, e.population, m.lease_worker FROM experiment e
            JOIN member m ON m.experiment = e.id AND m.slot = \(point.member)
            WHERE e.name = \(point.experiment)
            FOR NO KEY UPDATE OF e FOR UPDATE OF m
            """, logger: logger
        ).collect()
        guard let row = rows.first else {
            let found = try await connection.query(
                "SELECT id, population FROM experiment WHERE name = \(point.experiment)", logger: logger
            ).collect().first?.decode((Int, Int).self)
            guard let found else { throw notFound(point.experiment) }
            let experiment = PostgresExperiment(id: found.0, name: point.experiment, population: found.1)
            try experiment.checkSlot(point.member)
            throw StoreError(.invalid, "experiment '\(point.experiment)': member \(point.member) is missing from the store")
        }
        let (id, population, holder) = try row.decode((Int, Int, String?).self)
        let experiment = PostgresExperiment(id: id, name: point.experiment, population: population)
        guard holder == point.worker else { throw experiment.leaseLost(point.member, worker: point.worker) }
        return experiment
    }

    /// Every member with its last `window` scores, oldest first.
    private static func population(
        _ experiment: PostgresExperiment, window: Int, _ connection: PostgresConnection, _ logger: Logger
    ) async throws -> PopulationState {
        let rows = try await connection.query(
            """
            SELECT \(unescaped: PostgresExperiment.memberColumns(of: "m")),
                ARRAY(SELECT r.score FROM (
                    SELECT s.id, s.score FROM score s WHERE s.experiment = m.experiment AND s.member = m.slot
                    ORDER BY s.id DESC LIMIT \(window)) r ORDER BY r.id)
            FROM member m WHERE m.experiment = \(experiment.id) ORDER BY m.slot
            """, logger: logger
        ).collect()
        var members: [MemberRecord] = [], recent: [[Double]] = []
        members.reserveCapacity(rows.count)
        for row in rows {
            members.append(try experiment.member(row))
            recent.append(
                try row.decode((Int, Int, String, String, String, Int?, Double?, String?, Double?, Int, [Double]).self).10)
        }
        return PopulationState(members: members, recentScores: recent)
    }

    /// Applies one decision update: the member's new state and its event.
    private static func apply(
        _ update: MemberUpdate, _ experiment: PostgresExperiment, _ connection: PostgresConnection, _ logger: Logger
    ) async throws {
        guard (0..<experiment.population).contains(update.slot) else {
            throw StoreError(
                .memberOutOfRange,
                "experiment '\(experiment.name)': update for member \(update.slot) out of range 0..<\(experiment.population)")
        }
        let what = "experiment '\(experiment.name)': member \(update.slot)'s hyperparameters"
        let checkpoint = update.checkpoint.map(Int.init)
        let updated = try await connection.query(
            """
            UPDATE member SET step = \(update.step), status = \(update.status.rawValue),
                hyperparameters = \(try StoreJSON.encode(update.hyperparameters, what)), checkpoint = \(checkpoint)::bigint
            WHERE experiment = \(experiment.id) AND slot = \(update.slot)
              AND (\(checkpoint)::bigint IS NULL
                   OR EXISTS (SELECT 1 FROM checkpoint WHERE experiment = \(experiment.id) AND id = \(checkpoint)::bigint))
            RETURNING slot
            """, logger: logger
        ).collect()
        guard !updated.isEmpty else {
            throw StoreError(
                .checkpointMissing,
                "experiment '\(experiment.name)': update points member \(update.slot) at missing checkpoint \(checkpoint ?? 0)")
        }
        guard let event = update.event else { return }
        try experiment.checkSlot(event.member)
        try experiment.checkSlot(event.donor)
        let label = "experiment '\(experiment.name)': event of member \(event.member)"
        try await connection.query(
            """
            INSERT INTO event (experiment, sequence, member, step, donor, donor_step,
                hyperparameters_before, hyperparameters_after, mutations)
            SELECT \(experiment.id), COALESCE(MAX(sequence), 0) + 1, \(event.member), \(event.step), \(event.donor),
                \(event.donorStep), \(try StoreJSON.encode(event.before, label)), \(try StoreJSON.encode(event.after, label)),
                \(try StoreJSON.encode(event.mutations, label))
            FROM event WHERE experiment = \(experiment.id)
            """, logger: logger)
    }

    /// Releases the lease, closes the claim (the checkpoint `recorded` for the point is the
    /// result's), drops the member's checkpoints beyond the newest
    /// `keep` that no member points to, and reads the member back.
    /// - Returns: the result, and the SHA-256 of every checkpoint file whose row was deleted.
    private static func finish(
        _ point: ReadyPoint, recorded: Int64, _ experiment: PostgresExperiment, keep: Int, clock: Double?,
        _ connection: PostgresConnection, _ logger: Logger
    ) async throws -> (CommitResult, [String]) {
        let rows = try await connection.query(
            """
            WITH released AS (
                UPDATE member SET lease_worker = NULL, lease_expiry = NULL
                WHERE experiment = \(experiment.id) AND slot = \(point.member)
                RETURNING \(unescaped: PostgresExperiment.memberColumns)),
            closed AS (
                UPDATE claim SET ended = GREATEST(COALESCE(\(clock)::float8, \(unescaped: serverNow)), started),
                    outcome = 'committed'
                WHERE experiment = \(experiment.id) AND member = \(point.member) AND worker = \(point.worker) AND ended IS NULL),
            dropped AS (
                DELETE FROM checkpoint
                WHERE experiment = \(experiment.id) AND member = \(point.member)
                  AND id < (SELECT MIN(id) FROM (
                        SELECT id FROM checkpoint WHERE experiment = \(experiment.id) AND member = \(point.member)
                        ORDER BY id DESC LIMIT \(keep)) newest)
                  AND id NOT IN (SELECT checkpoint FROM member WHERE experiment = \(experiment.id) AND checkpoint IS NOT NULL)
                RETURNING sha256, in_file)
            SELECT released.*, ARRAY(SELECT sha256 FROM dropped WHERE in_file) FROM released
            """, logger: logger
        ).collect()
        guard let row = rows.first else { throw experiment.leaseLost(point.member, worker: point.worker) }
        let member = try experiment.member(row)
        let removed = try row.decode((Int, Int, String, String, String, Int?, Double?, String?, Double?, Int, [String]).self).10
        return (CommitResult(member: member, checkpoint: recorded), removed)
    }
}
