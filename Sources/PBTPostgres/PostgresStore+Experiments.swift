import Foundation
import PBT
import PBTStore
import PostgresNIO

extension PostgresStore {
    public func create(_ experiment: ExperimentRecord, members: [Hyperparameters]) async throws -> Bool {
        let texts = try experiment.memberTexts(members)
        let logger = self.logger
        return try await transaction { connection in
            if let existing = try await Self.record(named: experiment.name, connection, logger) {
                try existing.checkResume(with: experiment)
                return false
            }
            let inserted = try await connection.query(
                """
                INSERT INTO experiment (name, population, configuration, created)
                VALUES (\(experiment.name), \(experiment.population), \(experiment.configuration),
                        \(experiment.createdAt.timeIntervalSince1970))
                ON CONFLICT (name) DO NOTHING RETURNING id
                """, logger: logger
            ).collect()
            guard let id = try inserted.first?.decode(Int.self) else {
                // Another process created it between our look and our insert.
                guard let existing = try await Self.record(named: experiment.name, connection, logger) else {
                    throw Self.notFound(experiment.name)
                }
                try existing.checkResume(with: experiment)
                return false
            }
            try await connection.query(
                """
                INSERT INTO member (experiment, slot, step, status, hyperparameters, initial_hyperparameters)
                SELECT \(id), t.ordinality - 1, 0, 'ready', t.h, t.h FROM unnest(\(texts)::text[])
                    WITH ORDINALITY AS t(h)
                """, logger: logger)
            return true
        }
    }

    /// Deletes the experiment's rows in one transaction (members point at no checkpoint first),
    /// then the checkpoint files that no checkpoint row names any more.
    public func delete(experiment name: String) async throws {
        let logger = self.logger
        let digests = try await transaction { connection in
            let rows = try await connection.query(
                "SELECT id FROM experiment WHERE name = \(name) FOR UPDATE", logger: logger
            ).collect()
            guard let id = try rows.first?.decode(Int.self) else { throw Self.notFound(name) }
            let digests = try await connection.query(
                "SELECT DISTINCT sha256 FROM checkpoint WHERE experiment = \(id) AND in_file", logger: logger
            ).collect().map { try $0.decode(String.self) }
            try await connection.query("UPDATE member SET checkpoint = NULL WHERE experiment = \(id)", logger: logger)
            try await connection.query("DELETE FROM claim WHERE experiment = \(id)", logger: logger)
            try await connection.query("DELETE FROM fallback WHERE experiment = \(id)", logger: logger)
            try await connection.query("DELETE FROM event WHERE experiment = \(id)", logger: logger)
            try await connection.query("DELETE FROM score WHERE experiment = \(id)", logger: logger)
            try await connection.query("DELETE FROM checkpoint WHERE experiment = \(id)", logger: logger)
            try await connection.query("DELETE FROM member WHERE experiment = \(id)", logger: logger)
            try await connection.query("DELETE FROM experiment WHERE id = \(id)", logger: logger)
            return digests
        }
        cache.withLock { $0[name] = nil }
        if let files, !digests.isEmpty { try await removeUnreferenced(digests, files) }
    }

    public func experiments() async throws -> [ExperimentRecord] {
        let logger = self.logger
        return try await withConnection { connection in
            try await connection.query(
                "SELECT \(unescaped: Self.experimentColumns) FROM experiment ORDER BY created, name", logger: logger
            ).collect().map(Self.experimentRecord)
        }
    }

    public func experiment(named name: String) async throws -> ExperimentRecord? {
        let logger = self.logger
        return try await withConnection { try await Self.record(named: name, $0, logger) }
    }

    private static func record(
        named name: String, _ connection: PostgresConnection, _ logger: Logger
    ) async throws
        -> ExperimentRecord?
    {
        try await connection.query(
            "SELECT \(unescaped: Self.experimentColumns) FROM experiment WHERE name = \(name)", logger: logger
        ).collect().first.map(experimentRecord)
    }

    /// The columns `experimentRecord` reads, in order.
    static let experimentColumns =
        "name, population, configuration, created, stop_rule, stop_detail, stopped_at, run_seconds"

    static func experimentRecord(_ row: PostgresRow) throws -> ExperimentRecord {
        let (name, population, configuration, created, rule, detail, stoppedAt, runSeconds) = try row.decode(
            (String, Int, String, Double, String?, String?, Double?, Double?).self)
        return ExperimentRecord(
            name: name, population: population, configuration: configuration,
            createdAt: Date(timeIntervalSince1970: created),
            stop: rule.map {
                StopRecord(rule: $0, detail: detail ?? "", at: Date(timeIntervalSince1970: stoppedAt ?? 0))
            },
            runSeconds: runSeconds)
    }

    public func recordRun(experiment name: String, seconds: Double?, stop: StopRecord?) async throws -> ExperimentRecord
    {
        let logger = self.logger
        return try await transaction { connection in
            let rows = try await connection.query(
                "SELECT \(unescaped: Self.experimentColumns) FROM experiment WHERE name = \(name) FOR UPDATE",
                logger: logger
            ).collect()
            guard let row = rows.first else { throw Self.notFound(name) }
            let before = try Self.experimentRecord(row)
            let after = try before.recording(seconds: seconds, stop: stop)
            guard after != before else { return before }
            try await connection.query(
                """
                UPDATE experiment SET stop_rule = \(after.stop?.rule), stop_detail = \(after.stop?.detail),
                    stopped_at = \(after.stop?.at.timeIntervalSince1970), run_seconds = \(after.runSeconds)
                WHERE name = \(name)
                """, logger: logger)
            return after
        }
    }
}
