import Foundation
import PBTStore
import PostgresNIO

extension PostgresStore {
    public func checkpoint(of name: String, id: Int64) async throws -> Checkpoint {
        let logger = self.logger
        let row = try await read { connection in
            let experiment = try await self.experiment(name, connection)
            let rows = try await connection.query(
                """
                SELECT id, member, step, sha256, bytes, in_file FROM checkpoint
                WHERE experiment = \(experiment.id) AND id = \(Int(id))
                """, logger: logger
            ).collect()
            guard let row = rows.first else { throw StoreError.missing(experiment: name, id: id) }
            return try CheckpointRow(row)
        }
        return try verified(row, experiment: name)
    }

    public func fallBack(experiment name: String, member: Int, worker: String, reason: String) async throws -> MemberRecord {
        let (logger, clock) = (self.logger, self.clock)
        return try await transaction { connection in
            let experiment = try await self.experiment(name, connection)
            try experiment.checkSlot(member)
            let locked = try await connection.query(
                """
                SELECT \(unescaped: PostgresExperiment.memberColumns) FROM member
                WHERE experiment = \(experiment.id) AND slot = \(member) FOR UPDATE
                """, logger: logger
            ).collect()
            guard let row = locked.first else { throw experiment.leaseLost(member, worker: worker) }
            let current = try experiment.member(row)
            guard current.lease?.worker == worker else { throw experiment.leaseLost(member, worker: worker) }
            let candidates = try await connection.query(
                """
                SELECT id, member, step, sha256, bytes, in_file FROM checkpoint
                WHERE experiment = \(experiment.id) AND member = \(member) AND id IS DISTINCT FROM \(current.checkpoint.map(Int.init))::bigint
                ORDER BY id DESC
                """, logger: logger
            ).collect()
            var target: Checkpoint?
            for candidate in candidates {
                if let good = try? self.verified(try CheckpointRow(candidate), experiment: name) {
                    target = good
                    break
                }
            }
            let targetID = target.map { Int($0.id) }, targetStep = target?.step ?? 0
            try await connection.query(
                """
                UPDATE member SET checkpoint = \(targetID)::bigint, step = \(targetStep)
                WHERE experiment = \(experiment.id) AND slot = \(member)
                """, logger: logger)
            try await connection.query(
                """
                INSERT INTO fallback (experiment, member, from_checkpoint, from_step, to_checkpoint, to_step, reason, at)
                VALUES (\(experiment.id), \(member), \(current.checkpoint.map(Int.init))::bigint, \(current.step),
                        \(targetID)::bigint, \(targetStep), \(reason), COALESCE(\(clock)::float8, \(unescaped: Self.serverNow)))
                """, logger: logger)
            var moved = current
            moved.checkpoint = target?.id
            moved.step = targetStep
            return moved
        }
    }

    /// A checkpoint after checking its bytes (from the row or its file) against the recorded
    /// SHA-256.
    /// - Throws: `StoreError.checkpointCorrupt` when they differ or the file is missing.
    func verified(_ row: CheckpointRow, experiment: String) throws -> Checkpoint {
        let bytes: [UInt8]
        if row.inFile {
            guard let files else {
                throw StoreError(
                    .unavailable,
                    "experiment '\(experiment)': checkpoint \(row.id) is kept in a checkpoint directory; open the store with "
                        + "?checkpoints=file:///DIR (the directory the other workers use)")
            }
            guard let read = files.read(row.sha256) else {
                throw StoreError(
                    .checkpointCorrupt,
                    "experiment '\(experiment)': checkpoint \(row.id) of member \(row.member) at step \(row.step) is missing "
                        + "its file '\(files.path(row.sha256))'")
            }
            bytes = read
        } else {
            bytes = row.bytes ?? []
        }
        return try Checkpoint(id: row.id, member: row.member, step: row.step, bytes: bytes)
            .verified(against: row.sha256, experiment: experiment)
    }

    /// Removes the files of `digests` that no checkpoint row names any more.
    func removeUnreferenced(_ digests: [String], _ files: CheckpointFiles) async throws {
        let logger = self.logger
        let orphans = try await read { connection in
            try await connection.query(
                """
                SELECT d FROM unnest(\(digests)::text[]) AS d
                WHERE NOT EXISTS (SELECT 1 FROM checkpoint WHERE sha256 = d AND in_file)
                """, logger: logger
            ).collect().map { try $0.decode(String.self) }
        }
        for digest in orphans { files.remove(digest) }
    }
}

/// A checkpoint row: `id, member, step, sha256, bytes, in_file`.
struct CheckpointRow: Sendable {
    let id: Int64
    let member: Int
    let step: Int
    let sha256: String
    let bytes: [UInt8]?
    let inFile: Bool

    init(_ row: PostgresRow) throws {
        let (id, member, step, sha256, bytes, inFile) = try row.decode((Int, Int, Int, String, Data?, Bool).self)
        self.id = Int64(id)
        self.member = member
        self.step = step
        self.sha256 = sha256
        self.bytes = bytes.map { [UInt8]($0) }
        self.inFile = inFile
    }
}
