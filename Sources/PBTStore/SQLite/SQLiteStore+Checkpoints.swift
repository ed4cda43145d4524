import Foundation
import GRDB

extension SQLiteStore {
    public func checkpoint(of experiment: String, id: Int64) async throws -> Checkpoint {
        try await read { db in
            let experiment = try SQLiteExperiment(db, named: experiment)
            let statement = try db.cachedStatement(
                sql: "SELECT id, member, step, sha256, bytes FROM checkpoint WHERE experiment = ? AND id = ?")
            guard let row = try Row.fetchOne(statement, arguments: [experiment.id, id]) else {
                throw StoreError.missing(experiment: experiment.name, id: id)
            }
            return try Self.verified(row, experiment)
        }
    }

    public func fallBack(experiment: String, member: Int, worker: String, reason: String) async throws -> MemberRecord {
        let time = now().timeIntervalSince1970
        return try await write { db in
            let experiment = try SQLiteExperiment(db, named: experiment)
            try experiment.checkLease(db, member: member, worker: worker)
            let current = try experiment.member(db, slot: member)
            let candidates = try Row.fetchCursor(
                db,
                sql: """
                    SELECT id, member, step, sha256, bytes FROM checkpoint
                    WHERE experiment = ? AND member = ? AND id IS NOT ? ORDER BY id DESC
                    """,
                arguments: [experiment.id, member, current.checkpoint])
            var target: Checkpoint?
            while let row = try candidates.next() {
                if let good = try? Self.verified(row, experiment) {
                    target = good
                    break
                }
            }
            try db.execute(
                sql: "UPDATE member SET checkpoint = ?, step = ? WHERE experiment = ? AND slot = ?",
                arguments: [target?.id, target?.step ?? 0, experiment.id, member])
            try db.execute(
                sql: """
                    INSERT INTO fallback (experiment, member, from_checkpoint, from_step, to_checkpoint, to_step, reason, at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    experiment.id, member, current.checkpoint, current.step, target?.id, target?.step ?? 0, reason, time,
                ])
            return try experiment.member(db, slot: member)
        }
    }

    /// A checkpoint row (`id, member, step, sha256, bytes`) after checking its bytes against
    /// the recorded SHA-256.
    static func verified(_ row: Row, _ experiment: SQLiteExperiment) throws -> Checkpoint {
        let id: Int64 = row[0], member: Int = row[1], step: Int = row[2], expected: String = row[3]
        let bytes = [UInt8]((row[4] as Data?) ?? Data())
        let actual = SHA256.hex(bytes)
        guard actual == expected else {
            throw StoreError.corrupt(
                experiment: experiment.name, id: id, member: member, step: step, expected: expected, actual: actual)
        }
        return Checkpoint(id: id, member: member, step: step, bytes: bytes)
    }

    /// Deletes the member's own checkpoints older than its newest `keep`, except those a
    /// member points to.
    static func retainCheckpoints(_ db: Database, _ experiment: SQLiteExperiment, member: Int, keep: Int) throws {
        try db.cachedStatement(
            sql: """
                DELETE FROM checkpoint
                WHERE experiment = ?1 AND member = ?2
                  AND id < (SELECT MIN(id) FROM (
                        SELECT id FROM checkpoint WHERE experiment = ?1 AND member = ?2 ORDER BY id DESC LIMIT ?3))
                  AND id NOT IN (SELECT checkpoint FROM member WHERE experiment = ?1 AND checkpoint IS NOT NULL)
                """
        ).execute(arguments: [experiment.id, member, keep])
    }
}
