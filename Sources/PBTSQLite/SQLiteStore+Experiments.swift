import Foundation
import GRDB
import PBT
import PBTStore

extension SQLiteStore {
    /// Creates the experiment in the population and writes it to the file before returning, or
    /// reads it from the file to resume it.
    public func create(_ experiment: ExperimentRecord, members: [Hyperparameters]) async throws -> Bool {
        let work = try writable()
        _ = try experiment.memberTexts(members)
        _ = try load(experiment.name, into: work)
        guard try await work.memory.create(experiment, members: members) else { return false }
        work.writer.changed()
        try await work.writer.flush()
        return true
    }

    /// Deletes the experiment from the population, then has the writer delete its rows and the
    /// checkpoint files nothing names any more; returns once that is in the file.
    public func delete(experiment name: String) async throws {
        let work = try writable()
        guard try load(name, into: work) else {
            throw StoreError(.experimentNotFound, "no experiment named '\(name)' in the SQLite store '\(path)'")
        }
        try await work.memory.delete(experiment: name)
        work.writer.forget(name)
        try await work.writer.flush()
    }

    public func experiments() async throws -> [ExperimentRecord] {
        try await read { db in try SQLiteExperiment.all(db).map(\.record) }
    }

    public func experiment(named name: String) async throws -> ExperimentRecord? {
        try await read { db in try SQLiteExperiment.find(db, named: name)?.record }
    }
}
