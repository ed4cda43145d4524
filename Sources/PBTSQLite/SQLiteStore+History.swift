import Foundation
import GRDB
import PBT
import PBTStore

/// Reads: from the population of a store opened to work on (it is ahead of the file), from
/// the file otherwise.
extension SQLiteStore {
    public func members(of experiment: String) async throws -> [MemberRecord] {
        try await answer(experiment, { try await $0.members(of: experiment) }, { try $1.members($0) })
    }

    public func scores(of experiment: String) async throws -> [ScoreRecord] {
        try await answer(experiment, { try await $0.scores(of: experiment) }, { try $1.scores($0) })
    }

    public func scores(of experiment: String, from index: Int) async throws -> [ScoreRecord] {
        try await answer(
            experiment, { try await $0.scores(of: experiment, from: index) },
            { try Array($1.scores($0).dropFirst(max(0, index))) })
    }

    public func events(of experiment: String) async throws -> [ExploitEvent] {
        try await answer(experiment, { try await $0.events(of: experiment) }, { try $1.events($0) })
    }

    public func fallbacks(of experiment: String) async throws -> [FallbackRecord] {
        try await answer(experiment, { try await $0.fallbacks(of: experiment) }, { try $1.fallbacks($0) })
    }

    public func checkpoint(of experiment: String, id: Int64) async throws -> Checkpoint {
        let files = checkpointFiles
        return try await answer(
            experiment, { try await $0.checkpoint(of: experiment, id: id) },
            { try $1.checkpoint($0, id: id, files: files) })
    }

    public func storedCheckpoints(of experiment: String) async throws -> [StoredCheckpoint] {
        try await answer(
            experiment, { try await $0.storedCheckpoints(of: experiment) }, { try $1.storedCheckpoints($0) })
    }

    /// Answers from the population (`inMemory`) or, for a store opened only to read, from the
    /// file (`inFile`, in one read transaction).
    private func answer<T: Sendable>(
        _ experiment: String, _ inMemory: (InMemoryStore) async throws -> T,
        _ inFile: @escaping @Sendable (Database, SQLiteExperiment) throws -> T
    ) async throws -> T {
        if let work { return try await population(work, experiment, inMemory) }
        return try await read { db in try inFile(db, SQLiteExperiment(db, named: experiment)) }
    }
}
