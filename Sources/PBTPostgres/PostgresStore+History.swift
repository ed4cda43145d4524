import Foundation
import PBT
import PBTStore
import PostgresNIO

extension PostgresStore {
    public func members(of name: String) async throws -> [MemberRecord] {
        let logger = self.logger
        return try await withConnection { connection in
            try await self.experiment(name, connection).members(connection, logger)
        }
    }

    public func scores(of name: String) async throws -> [ScoreRecord] {
        let logger = self.logger
        return try await withConnection { connection in
            try await Self.scores(of: try await self.experiment(name, connection), latest: nil, connection, logger)
        }
    }

    public func scores(of name: String, from index: Int) async throws -> [ScoreRecord] {
        let logger = self.logger
        return try await withConnection { connection in
            let experiment = try await self.experiment(name, connection)
            let rows = try await connection.query(
                """
                SELECT member, step, score, hyperparameters, metrics,
                    recorded FROM score WHERE experiment = \(experiment.id)
                ORDER BY id OFFSET \(max(0, index))
                """, logger: logger
            ).collect()
            return try rows.map { try Self.scoreRecord($0, experiment) }
        }
    }

    public func events(of name: String) async throws -> [ExploitEvent] {
        let logger = self.logger
        return try await withConnection { connection in
            try await Self.events(of: try await self.experiment(name, connection), latest: nil, connection, logger)
        }
    }

    /// The experiment's scores, oldest first: all, or the `latest` ones.
    static func scores(
        of experiment: PostgresExperiment, latest: Int?, _ connection: PostgresConnection, _ logger: Logger
    ) async throws -> [ScoreRecord] {
        let rows = try await connection.query(
            """
            SELECT member, step, score, hyperparameters, metrics, recorded FROM score WHERE experiment =
                \(experiment.id)
            ORDER BY id DESC LIMIT \(latest)::bigint
            """, logger: logger
        ).collect()
        return try rows.reversed().map { try scoreRecord($0, experiment) }
    }

    /// A row of member, step, score, hyperparameters, metrics and time recorded.
    private static func scoreRecord(_ row: PostgresRow, _ experiment: PostgresExperiment) throws -> ScoreRecord {
        let (member, step, score, text, metrics, recorded) = try row.decode(
            (Int, Int, Double, String, String?, Double?).self)
        let what = "experiment '\(experiment.name)': a score of member \(member)"
        return ScoreRecord(
            member: member, step: step, score: score, hyperparameters: try StoreJSON.hyperparameters(text, what),
            metrics: try StoreJSON.metrics(metrics, what), recordedAt: recorded.map(Date.init(timeIntervalSince1970:)))
    }

    /// The experiment's events, oldest first: all, or the `latest` ones.
    static func events(
        of experiment: PostgresExperiment, latest: Int?, _ connection: PostgresConnection, _ logger: Logger
    ) async throws -> [ExploitEvent] {
        let rows = try await connection.query(
            """
            SELECT sequence, member, step, donor, donor_step, hyperparameters_before, hyperparameters_after,
                mutations, recorded
            FROM event WHERE experiment = \(experiment.id) ORDER BY sequence DESC LIMIT \(latest)::bigint
            """, logger: logger
        ).collect()
        return try rows.reversed().map { row in
            let (sequence, member, step, donor, donorStep, before, after, mutations, recorded) = try row.decode(
                (Int, Int, Int, Int, Int, String, String, String, Double?).self)
            let what = "experiment '\(experiment.name)': event \(sequence)"
            return ExploitEvent(
                sequence: sequence, member: member, step: step, donor: donor, donorStep: donorStep,
                before: try StoreJSON.hyperparameters(before, what), after: try StoreJSON.hyperparameters(after, what),
                mutations: try StoreJSON.decode([Mutation].self, mutations, what),
                recordedAt: recorded.map(Date.init(timeIntervalSince1970:)))
        }
    }

    public func fallbacks(of name: String) async throws -> [FallbackRecord] {
        let logger = self.logger
        return try await withConnection { connection in
            let experiment = try await self.experiment(name, connection)
            return try await connection.query(
                """
                SELECT member, from_checkpoint, from_step, to_checkpoint, to_step, reason, at
                FROM fallback WHERE experiment = \(experiment.id) ORDER BY id
                """, logger: logger
            ).collect().map { row in
                let (member, from, fromStep, to, toStep, reason, at) = try row.decode(
                    (Int, Int?, Int, Int?, Int, String, Double).self)
                return FallbackRecord(
                    member: member, fromCheckpoint: from.map(Int64.init), fromStep: fromStep,
                    toCheckpoint: to.map(Int64.init),
                    toStep: toStep, reason: reason, at: Date(timeIntervalSince1970: at))
            }
        }
    }

    /// Every claim of the experiment, in the order made: the record that shows no member was
    /// ever held by two live leases.
    public func claims(of name: String) async throws -> [ClaimRecord] {
        let logger = self.logger
        return try await withConnection { connection in
            let experiment = try await self.experiment(name, connection)
            return try await connection.query(
                """
                SELECT member, worker, started, expires, ended, outcome FROM claim
                WHERE experiment = \(experiment.id) ORDER BY id
                """, logger: logger
            ).collect().map { row in
                let (member, worker, started, expires, ended, outcome) = try row.decode(
                    (Int, String, Double, Double, Double?, String?).self)
                return ClaimRecord(
                    member: member, worker: worker, started: started, expires: expires, ended: ended,
                    outcome: outcome.flatMap(ClaimRecord.Outcome.init(rawValue:)))
            }
        }
    }
}
