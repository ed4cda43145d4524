import Foundation
import GRDB
import PBT
import PBTStore

/// An experiment row's key facts, looked up at the start of each transaction, and how its
/// rows read back.
struct SQLiteExperiment {
    /// The experiment's row id.
    let id: Int64
    let record: ExperimentRecord

    var name: String { record.name }

    /// The experiment named `name`.
    /// - Throws: `StoreError.experimentNotFound`.
    init(_ db: Database, named name: String) throws {
        guard let experiment = try Self.find(db, named: name) else {
            throw StoreError(.experimentNotFound, "no experiment named '\(name)' in the store")
        }
        self = experiment
    }

    private init(_ row: Row) {
        id = row[0]
        let rule: String? = row[5]
        let detail: String? = row[6]
        let stoppedAt: Double? = row[7]
        record = ExperimentRecord(
            name: row[1], population: row[2], configuration: row[3], createdAt: Date(timeIntervalSince1970: row[4]),
            stop: rule.map {
                StopRecord(rule: $0, detail: detail ?? "", at: Date(timeIntervalSince1970: stoppedAt ?? 0))
            },
            runSeconds: row[8])
    }

    /// The experiment columns `init(_:)` reads, in order; NULLs for those of v3 in a file
    /// without it (opened only to read, see `SQLiteSchema.readableWithout`).
    private static func columns(_ db: Database) throws -> String {
        let base = "id, name, population, configuration, created"
        guard try db.columns(in: "experiment").contains(where: { $0.name == "stop_rule" }) else {
            return base + ", NULL, NULL, NULL, NULL"
        }
        return base + ", stop_rule, stop_detail, stopped_at, run_seconds"
    }

    /// The experiment named `name`, or nil.
    static func find(_ db: Database, named name: String) throws -> SQLiteExperiment? {
        let statement = try db.cachedStatement(sql: "SELECT \(try columns(db)) FROM experiment WHERE name = ?")
        return try Row.fetchOne(statement, arguments: [name]).map(SQLiteExperiment.init)
    }

    /// Every experiment, oldest first.
    static func all(_ db: Database) throws -> [SQLiteExperiment] {
        try Row.fetchAll(db, sql: "SELECT \(try columns(db)) FROM experiment ORDER BY created, name")
            .map(SQLiteExperiment.init)
    }

    /// The columns `member(_:)` reads, in order.
    static let memberColumns =
        """
        slot, step, status, hyperparameters, initial_hyperparameters, checkpoint, score, lease_worker, lease_expiry, \
        failures
        """

    /// Every member, by slot.
    func members(_ db: Database) throws -> [MemberRecord] {
        let statement = try db.cachedStatement(
            sql: "SELECT \(Self.memberColumns) FROM member WHERE experiment = ? ORDER BY slot")
        return try Row.fetchAll(statement, arguments: [id]).map(member)
    }

    /// A member row, read with `memberColumns`.
    func member(_ row: Row) throws -> MemberRecord {
        let slot: Int = row[0]
        let statusText: String = row[2]
        guard let status = MemberStatus(rawValue: statusText) else {
            throw StoreError(.invalid, "experiment '\(name)': member \(slot) has unknown status '\(statusText)'")
        }
        let worker: String? = row[7]
        let expiry: Double? = row[8]
        return MemberRecord(
            slot: slot, step: row[1], status: status,
            hyperparameters: try StoreJSON.hyperparameters(
                row[3], "experiment '\(name)': member \(slot)'s hyperparameters"),
            initialHyperparameters: try StoreJSON.hyperparameters(
                row[4], "experiment '\(name)': member \(slot)'s initial hyperparameters"),
            checkpoint: row[5], score: row[6],
            lease: worker.flatMap { worker in
                expiry.map { Lease(worker: worker, expiresAt: Date(timeIntervalSince1970: $0)) }
            },
            failures: row[9])
    }

    /// Every score, in the order recorded.
    func scores(_ db: Database) throws -> [ScoreRecord] {
        let extra = try SQLiteSchema.hasMetricsAndTimes(db) ? "metrics, recorded" : "NULL, NULL"
        return try Row.fetchAll(
            db,
            sql: "SELECT member, step, score, hyperparameters, \(extra) FROM score WHERE experiment = ? ORDER BY id",
            arguments: [id]
        ).map { row in
            let member: Int = row[0]
            let what = "experiment '\(name)': a score of member \(member)"
            return ScoreRecord(
                member: member, step: row[1], score: row[2],
                hyperparameters: try StoreJSON.hyperparameters(row[3], what),
                metrics: try StoreJSON.metrics(row[4], what), recordedAt: Self.time(row[5]))
        }
    }

    /// Every event, by sequence.
    func events(_ db: Database) throws -> [ExploitEvent] {
        let recorded = try SQLiteSchema.hasMetricsAndTimes(db) ? "recorded" : "NULL"
        return try Row.fetchAll(
            db,
            sql: """
                SELECT sequence, member, step, donor, donor_step, hyperparameters_before, hyperparameters_after,
                    mutations,
                    \(recorded)
                FROM event WHERE experiment = ? ORDER BY sequence
                """,
            arguments: [id]
        ).map { row in
            let sequence: Int = row[0]
            let what = "experiment '\(name)': event \(sequence)"
            return ExploitEvent(
                sequence: sequence, member: row[1], step: row[2], donor: row[3], donorStep: row[4],
                before: try StoreJSON.hyperparameters(row[5], what), after: try StoreJSON.hyperparameters(row[6], what),
                mutations: try StoreJSON.decode([Mutation].self, row[7], what), recordedAt: Self.time(row[8]))
        }
    }

    /// A stored time (seconds since 1970), or nil.
    private static func time(_ seconds: Double?) -> Date? {
        seconds.map(Date.init(timeIntervalSince1970:))
    }

    /// Every fallback, in the order recorded.
    func fallbacks(_ db: Database) throws -> [FallbackRecord] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT member, from_checkpoint, from_step, to_checkpoint, to_step, reason, at
                FROM fallback WHERE experiment = ? ORDER BY id
                """,
            arguments: [id]
        ).map { row in
            FallbackRecord(
                member: row[0], fromCheckpoint: row[1], fromStep: row[2], toCheckpoint: row[3], toStep: row[4],
                reason: row[5], at: Date(timeIntervalSince1970: row[6]))
        }
    }

    /// Every stored checkpoint with its recorded SHA-256, unverified; those kept as files name
    /// their file in `files`.
    func checkpoints(_ db: Database, files: CheckpointDirectory) throws -> [(checkpoint: Checkpoint, sha256: String)] {
        try Row.fetchAll(
            db, sql: "SELECT \(Self.checkpointColumns) FROM checkpoint WHERE experiment = ? ORDER BY id",
            arguments: [id]
        ).map { Self.checkpoint($0, files: files) }
    }

    /// Every stored checkpoint without its bytes, oldest first.
    func storedCheckpoints(_ db: Database) throws -> [StoredCheckpoint] {
        try Row.fetchAll(
            db, sql: "SELECT id, member, step, size FROM checkpoint WHERE experiment = ? ORDER BY id", arguments: [id]
        )
        .map { StoredCheckpoint(id: $0[0], member: $0[1], step: $0[2], size: $0[3]) }
    }

    /// Deletes the rows of experiment `name`, if any: members, their checkpoints (members
    /// point at them first), scores, events, fallbacks, then the experiment.
    static func delete(_ db: Database, named name: String) throws {
        guard let experiment = try find(db, named: name) else { return }
        try db.execute(sql: "UPDATE member SET checkpoint = NULL WHERE experiment = ?", arguments: [experiment.id])
        for table in ["fallback", "event", "score", "checkpoint", "member"] {
            try db.execute(sql: "DELETE FROM \(table) WHERE experiment = ?", arguments: [experiment.id])
        }
        try db.execute(sql: "DELETE FROM experiment WHERE id = ?", arguments: [experiment.id])
    }

    /// Checkpoint `id`, verified (a file: present, of its size).
    /// - Throws: `StoreError.checkpointMissing` or `StoreError.checkpointCorrupt`.
    func checkpoint(_ db: Database, id checkpoint: Int64, files: CheckpointDirectory) throws -> Checkpoint {
        let statement = try db.cachedStatement(
            sql: "SELECT \(Self.checkpointColumns) FROM checkpoint WHERE experiment = ? AND id = ?")
        guard let row = try Row.fetchOne(statement, arguments: [id, checkpoint]) else {
            throw StoreError.missing(experiment: name, id: checkpoint)
        }
        let (stored, sha256) = Self.checkpoint(row, files: files)
        return try stored.verified(against: sha256, experiment: name)
    }

    /// The columns `checkpoint(_:files:)` reads, in order.
    private static let checkpointColumns = "id, member, step, sha256, bytes, size, in_file"

    /// A checkpoint row, read with `checkpointColumns`, and its recorded SHA-256.
    private static func checkpoint(_ row: Row, files: CheckpointDirectory) -> (checkpoint: Checkpoint, sha256: String) {
        let sha256: String = row[3]
        let payload: CheckpointPayload =
            row[6] as Bool ? files.stored(sha256: sha256, size: row[5]) : .bytes([UInt8]((row[4] as Data?) ?? Data()))
        return (Checkpoint(id: row[0], member: row[1], step: row[2], payload: payload), sha256)
    }

    /// Everything stored of the experiment, for a population to work on (checkpoint files in
    /// `files`), and the file's image of it (leases included, so that dropping them is written).
    func load(_ db: Database, files: CheckpointDirectory) throws -> (MemoryExperiment, FlushedImage) {
        let members = try members(db)
        let experiment = MemoryExperiment(
            record: record, members: members, scores: try scores(db), events: try events(db),
            checkpoints: try checkpoints(db, files: files), fallbacks: try fallbacks(db))
        var image = FlushedImage(experiment, id: id)
        image.members = members
        return (experiment, image)
    }
}
