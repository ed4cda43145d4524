import Foundation
import GRDB
import PBT

extension SQLiteStore {
    public func commit(
        _ point: ReadyPoint, scoreWindow: Int,
        decide: @escaping @Sendable (PopulationState) throws -> [MemberUpdate]
    ) async throws -> CommitResult {
        guard !point.score.isNaN else {
            throw StoreError.nanScore(experiment: point.experiment, member: point.member, step: point.step)
        }
        // Hash and encode before taking the write lock.
        let digest = SHA256.hex(point.checkpoint)
        let bytes = Data(point.checkpoint)
        let hyperparameters = try StoreJSON.encode(
            point.hyperparameters, "experiment '\(point.experiment)': member \(point.member)'s hyperparameters")
        let keep = self.keep
        let window = max(1, scoreWindow)
        return try await write { db in
            let experiment = try SQLiteExperiment(db, named: point.experiment)
            try experiment.checkLease(db, member: point.member, worker: point.worker)
            try db.cachedStatement(
                sql: "INSERT INTO checkpoint (experiment, member, step, sha256, size, bytes) VALUES (?, ?, ?, ?, ?, ?)"
            ).execute(arguments: [experiment.id, point.member, point.step, digest, bytes.count, bytes])
            let checkpoint = db.lastInsertedRowID
            try db.cachedStatement(
                sql: "INSERT INTO score (experiment, member, step, score, hyperparameters) VALUES (?, ?, ?, ?, ?)"
            ).execute(arguments: [experiment.id, point.member, point.step, point.score, hyperparameters])
            try db.cachedStatement(
                sql: "UPDATE member SET step = ?, score = ?, checkpoint = ? WHERE experiment = ? AND slot = ?"
            ).execute(arguments: [point.step, point.score, checkpoint, experiment.id, point.member])

            let members = try experiment.members(db)
            // A member's latest score is on its row: a window of 1 needs no query per member.
            let recent = window == 1
                ? members.map { $0.score.map { [$0] } ?? [] }
                : try (0..<experiment.population).map { try Self.recentScores(db, experiment, member: $0, window) }
            let updates = try decide(PopulationState(members: members, recentScores: recent))
            for update in updates { try Self.apply(update, db, experiment) }
            try Self.setLease(db, experiment, slot: point.member, worker: nil, expiry: nil)
            try Self.retainCheckpoints(db, experiment, member: point.member, keep: keep)
            return CommitResult(member: try experiment.member(db, slot: point.member), checkpoint: checkpoint)
        }
    }

    /// The member's last `window` scores, oldest first.
    private static func recentScores(_ db: Database, _ experiment: SQLiteExperiment, member: Int, _ window: Int) throws
        -> [Double]
    {
        let statement = try db.cachedStatement(
            sql: "SELECT score FROM score WHERE experiment = ? AND member = ? ORDER BY id DESC LIMIT ?")
        return try Double.fetchAll(statement, arguments: [experiment.id, member, window]).reversed()
    }

    /// Applies one decision update: the member's new state and its event.
    private static func apply(_ update: MemberUpdate, _ db: Database, _ experiment: SQLiteExperiment) throws {
        guard (0..<experiment.population).contains(update.slot) else {
            throw StoreError(
                .memberOutOfRange,
                "experiment '\(experiment.name)': update for member \(update.slot) out of range 0..<\(experiment.population)")
        }
        if let checkpoint = update.checkpoint {
            let exists = try db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM checkpoint WHERE experiment = ? AND id = ?)")
            guard try Bool.fetchOne(exists, arguments: [experiment.id, checkpoint]) == true else {
                throw StoreError(
                    .checkpointMissing,
                    "experiment '\(experiment.name)': update points member \(update.slot) at missing checkpoint \(checkpoint)")
            }
        }
        let what = "experiment '\(experiment.name)': member \(update.slot)'s hyperparameters"
        try db.cachedStatement(
            sql: "UPDATE member SET step = ?, status = ?, hyperparameters = ?, checkpoint = ? WHERE experiment = ? AND slot = ?"
        ).execute(arguments: [
            update.step, update.status.rawValue, try StoreJSON.encode(update.hyperparameters, what), update.checkpoint,
            experiment.id, update.slot,
        ])
        guard let event = update.event else { return }
        try experiment.checkSlot(event.member)
        try experiment.checkSlot(event.donor)
        let next = try Int.fetchOne(
            db.cachedStatement(sql: "SELECT COALESCE(MAX(sequence), 0) + 1 FROM event WHERE experiment = ?"),
            arguments: [experiment.id]) ?? 1
        let label = "experiment '\(experiment.name)': event of member \(event.member)"
        try db.cachedStatement(
            sql: """
                INSERT INTO event (experiment, sequence, member, step, donor, donor_step,
                    hyperparameters_before, hyperparameters_after, mutations)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: [
            experiment.id, next, event.member, event.step, event.donor, event.donorStep,
            try StoreJSON.encode(event.before, label), try StoreJSON.encode(event.after, label),
            try StoreJSON.encode(event.mutations, label),
        ])
    }
}
