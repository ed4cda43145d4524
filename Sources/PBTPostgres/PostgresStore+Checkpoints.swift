import Foundation
import PBTStore
import PostgresNIO

extension PostgresStore {
    public func checkpoint(of name: String, id: Int64) async throws -> Checkpoint {
        let logger = self.logger
        let row = try await withConnection { connection in
            let experiment = try await self.experiment(name, connection)
            let rows = try await connection.query(
                """
                SELECT id, member, step, sha256, size, bytes, in_file FROM checkpoint
                WHERE experiment = \(experiment.id) AND id = \(Int(id))
                """, logger: logger
            ).collect()
            guard let row = rows.first else { throw StoreError.missing(experiment: name, id: id) }
            return try CheckpointRow(row)
        }
        return try verified(row, experiment: name)
    }

    public func storedCheckpoints(of name: String) async throws -> [StoredCheckpoint] {
        let logger = self.logger
        return try await withConnection { connection in
            let experiment = try await self.experiment(name, connection)
            return try await connection.query(
                "SELECT id, member, step, size FROM checkpoint WHERE experiment = \(experiment.id) ORDER BY id",
                logger: logger
            ).collect().map {
                let (id, member, step, size) = try $0.decode((Int, Int, Int, Int).self)
                return StoredCheckpoint(id: Int64(id), member: member, step: step, size: size)
            }
        }
    }

    public func fallBack(
        experiment name: String, member: Int, worker: String, reason: String
    ) async throws -> MemberRecord {
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
                SELECT id, member, step, sha256, size, bytes, in_file FROM checkpoint
                WHERE experiment = \(experiment.id) AND member = \(member)
                    AND id IS DISTINCT FROM \(current.checkpoint.map(Int.init))::bigint
                ORDER BY id DESC
                """, logger: logger
            ).collect()
            var target: Checkpoint?
            for candidate in candidates {
                if let good = try? self.verified(try CheckpointRow(candidate), experiment: name, readingFile: true) {
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
                INSERT INTO fallback (experiment, member, from_checkpoint, from_step, to_checkpoint, to_step, reason,
                    at)
                VALUES (\(experiment.id), \(member), \(current.checkpoint.map(Int.init))::bigint, \(current.step),
                        \(targetID)::bigint, \(targetStep), \(reason), COALESCE(\(clock)::float8,
                            \(unescaped: Self.serverNow)))
                """, logger: logger)
            var moved = current
            moved.checkpoint = target?.id
            moved.step = targetStep
            return moved
        }
    }

    /// A checkpoint after checking it against the recorded SHA-256: bytes from the row now, a
    /// file for its presence and size (its bytes when read, or now with `readingFile`).
    /// - Throws: `StoreError.checkpointCorrupt` when they differ or the file is missing.
    func verified(_ row: CheckpointRow, experiment: String, readingFile: Bool = false) throws -> Checkpoint {
        let payload: CheckpointPayload
        if row.inFile {
            guard let files else {
                throw StoreError(
                    .unavailable,
                    "experiment '\(experiment)': checkpoint \(row.id) is kept in a checkpoint directory; "
                        + "open the store with "
                        + "?checkpoints=file:///DIR (the directory the other workers use)")
            }
            payload = files.stored(sha256: row.sha256, size: row.size)
        } else {
            payload = .bytes(row.bytes ?? [])
        }
        return try Checkpoint(id: row.id, member: row.member, step: row.step, payload: payload)
            .verified(against: row.sha256, experiment: experiment, readingFile: readingFile)
    }

    /// How the store keeps the state of `point`: as a file in the checkpoint directory when
    /// the URL names one (whatever its size), else as bytes for the `bytea` column.
    /// - Returns: its SHA-256, size, and bytes (nil for a file).
    /// - Throws: `StoreError.invalid` for a state of 1 GiB or more without a checkpoint
    ///   directory (PostgreSQL keeps less than 1 GiB in a value); `StoreError.unavailable` when
    ///   the directory cannot be written.
    func keeping(_ point: ReadyPoint) throws -> (sha256: String, size: Int, bytes: Data?) {
        if let files {
            do {
                let file = try files.adopt(point.payload)
                return (file.sha256, file.size, nil)
            } catch let error as StoreError where error.code == .unavailable {
                throw StoreError(.unavailable, "PostgreSQL store '\(location)': \(error.message)")
            }
        }
        guard point.payload.size < Self.valueLimit else {
            throw StoreError(
                .invalid,
                "experiment '\(point.experiment)': member \(point.member)'s checkpoint at step \(point.step) has "
                    + "\(point.payload.size) bytes; PostgreSQL keeps less than 1 GiB in a row: add "
                    + "checkpoints=file:///DIR to the store URL, a directory every worker mounts at that path "
                    + "(see docs/many-machines.md)")
        }
        let bytes = try point.payload.bytes()
        return (ContentDigest.hex(bytes), bytes.count, Data(bytes))
    }

    /// The largest value PostgreSQL stores, plus one: 1 GiB.
    static let valueLimit = 1 << 30

    /// Removes the files of `digests` that no checkpoint row names any more.
    func removeUnreferenced(_ digests: [String], _ files: CheckpointDirectory) async throws {
        let logger = self.logger
        let orphans = try await withConnection { connection in
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

/// A checkpoint row: `id, member, step, sha256, size, bytes, in_file`.
struct CheckpointRow: Sendable {
    let id: Int64
    let member: Int
    let step: Int
    let sha256: String
    let size: Int
    let bytes: [UInt8]?
    let inFile: Bool

    init(_ row: PostgresRow) throws {
        let (id, member, step, sha256, size, bytes, inFile) = try row.decode(
            (Int, Int, Int, String, Int, Data?, Bool).self)
        self.id = Int64(id)
        self.member = member
        self.step = step
        self.sha256 = sha256
        self.size = size
        self.bytes = bytes.map { [UInt8]($0) }
        self.inFile = inFile
    }
}
