import Foundation
import GRDB
import PBT

extension SQLiteStore {
    public func create(_ experiment: ExperimentRecord, members: [Hyperparameters]) async throws -> Bool {
        let texts = try experiment.memberTexts(members)
        return try await write { db in
            if let existing = try Self.experiment(db, named: experiment.name) {
                try existing.checkResume(with: experiment)
                return false
            }
            try db.execute(
                sql: "INSERT INTO experiment (name, population, configuration, created) VALUES (?, ?, ?, ?)",
                arguments: [
                    experiment.name, experiment.population, experiment.configuration,
                    experiment.createdAt.timeIntervalSince1970,
                ])
            let id = db.lastInsertedRowID
            let insert = try db.makeStatement(
                sql: """
                    INSERT INTO member (experiment, slot, step, status, hyperparameters, initial_hyperparameters)
                    VALUES (?, ?, 0, 'ready', ?, ?)
                    """)
            for (slot, text) in texts.enumerated() {
                try insert.execute(arguments: [id, slot, text, text])
            }
            return true
        }
    }

    public func experiments() async throws -> [ExperimentRecord] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT name, population, configuration, created FROM experiment ORDER BY created, name")
                .map(Self.experimentRecord)
        }
    }

    public func experiment(named name: String) async throws -> ExperimentRecord? {
        try await read { db in try Self.experiment(db, named: name) }
    }

    private static func experiment(_ db: Database, named name: String) throws -> ExperimentRecord? {
        try Row.fetchOne(
            db, sql: "SELECT name, population, configuration, created FROM experiment WHERE name = ?", arguments: [name]
        ).map(experimentRecord)
    }

    private static func experimentRecord(_ row: Row) -> ExperimentRecord {
        ExperimentRecord(
            name: row[0], population: row[1], configuration: row[2], createdAt: Date(timeIntervalSince1970: row[3]))
    }
}
