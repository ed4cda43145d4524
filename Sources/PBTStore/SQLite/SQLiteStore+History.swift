import Foundation
import GRDB
import PBT

extension SQLiteStore {
    public func members(of experiment: String) async throws -> [MemberRecord] {
        try await read { db in try SQLiteExperiment(db, named: experiment).members(db) }
    }

    public func scores(of experiment: String) async throws -> [ScoreRecord] {
        try await read { db in
            let experiment = try SQLiteExperiment(db, named: experiment)
            return try Row.fetchAll(
                db, sql: "SELECT member, step, score, hyperparameters FROM score WHERE experiment = ? ORDER BY id",
                arguments: [experiment.id]
            ).map { row in
                let member: Int = row[0]
                return ScoreRecord(
                    member: member, step: row[1], score: row[2],
                    hyperparameters: try StoreJSON.hyperparameters(
                        row[3], "experiment '\(experiment.name)': a score of member \(member)"))
            }
        }
    }

    public func events(of experiment: String) async throws -> [ExploitEvent] {
        try await read { db in
            let experiment = try SQLiteExperiment(db, named: experiment)
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT sequence, member, step, donor, donor_step, hyperparameters_before, hyperparameters_after, mutations
                    FROM event WHERE experiment = ? ORDER BY sequence
                    """,
                arguments: [experiment.id]
            ).map { row in
                let sequence: Int = row[0]
                let what = "experiment '\(experiment.name)': event \(sequence)"
                return ExploitEvent(
                    sequence: sequence, member: row[1], step: row[2], donor: row[3], donorStep: row[4],
                    before: try StoreJSON.hyperparameters(row[5], what),
                    after: try StoreJSON.hyperparameters(row[6], what),
                    mutations: try StoreJSON.decode([Mutation].self, row[7], what))
            }
        }
    }

    public func fallbacks(of experiment: String) async throws -> [FallbackRecord] {
        try await read { db in
            let experiment = try SQLiteExperiment(db, named: experiment)
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT member, from_checkpoint, from_step, to_checkpoint, to_step, reason, at
                    FROM fallback WHERE experiment = ? ORDER BY id
                    """,
                arguments: [experiment.id]
            ).map { row in
                FallbackRecord(
                    member: row[0], fromCheckpoint: row[1], fromStep: row[2], toCheckpoint: row[3], toStep: row[4],
                    reason: row[5], at: Date(timeIntervalSince1970: row[6]))
            }
        }
    }
}
