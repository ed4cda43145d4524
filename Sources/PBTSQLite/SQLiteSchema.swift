import GRDB
import PBTStore

/// The SQLite schema, as an ordered list of migrations.
///
/// A migration never changes once shipped and never uses application types: it speaks SQL
/// only. Change the schema by appending a migration. Integrity lives in the schema: every
/// column that must have a value is NOT NULL, members, scores, events and checkpoints point
/// to their experiment and member with foreign keys, and a member can only point to a
/// checkpoint of its own experiment.
///
/// - v1: every checkpoint's bytes in its row.
/// - v2: a checkpoint of `CheckpointPayload.fileThreshold` bytes or more is a file named by its
///   SHA-256 in the checkpoint directory beside the database (`in_file = 1`, `bytes` NULL,
///   `size` its length); rows of v1 stay as they are.
/// - v3: what stopped an experiment (`stop_rule`, `stop_detail`, `stopped_at`; all NULL until a
///   `stop:` rule ends it) and its run time (`run_seconds`, NULL until measured). Columns only
///   added, so a reader that lacks v3 in the file reads them as NULL (`readableWithout`).
/// - v4: a score keeps its metrics (a JSON object, NULL for none) and the time it was recorded,
///   an event the time it was recorded (seconds since 1970, NULL in older rows). A store opened
///   only to read does not need it (`readableWithout`).
enum SQLiteSchema {
    /// Migrations a store opened only to read may lack: they only add nullable columns, which
    /// read back as absent (no stop, no run time, no metrics, no times), so that an older file
    /// can be read without being written.
    static let readableWithout: Set<String> = [stopMigration, metricsAndTimes]

    /// The identifier of v3.
    static let stopMigration = "v3 experiment stop and run time"

    /// The identifier of v4.
    static let metricsAndTimes = "v4 metrics and record times"

    /// Every migration, oldest first.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1 experiments, members, scores, events, checkpoints, fallbacks") { db in
            try db.execute(
                sql: """
                    CREATE TABLE experiment (
                        id INTEGER PRIMARY KEY,
                        name TEXT NOT NULL UNIQUE,
                        population INTEGER NOT NULL CHECK (population >= 1),
                        configuration TEXT NOT NULL,
                        created REAL NOT NULL
                    ) STRICT;

                    CREATE TABLE member (
                        experiment INTEGER NOT NULL REFERENCES experiment(id),
                        slot INTEGER NOT NULL CHECK (slot >= 0),
                        step INTEGER NOT NULL CHECK (step >= 0),
                        status TEXT NOT NULL CHECK (status IN ('ready', 'waiting', 'done', 'failed')),
                        hyperparameters TEXT NOT NULL,
                        initial_hyperparameters TEXT NOT NULL,
                        checkpoint INTEGER,
                        score REAL,
                        lease_worker TEXT,
                        lease_expiry REAL,
                        failures INTEGER NOT NULL DEFAULT 0 CHECK (failures >= 0),
                        PRIMARY KEY (experiment, slot),
                        FOREIGN KEY (experiment, checkpoint) REFERENCES checkpoint(experiment, id),
                        CHECK ((lease_worker IS NULL) = (lease_expiry IS NULL))
                    ) STRICT;
                    CREATE INDEX member_by_checkpoint ON member(experiment, checkpoint);

                    CREATE TABLE checkpoint (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        experiment INTEGER NOT NULL,
                        member INTEGER NOT NULL,
                        step INTEGER NOT NULL CHECK (step >= 0),
                        sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
                        size INTEGER NOT NULL CHECK (size = length(bytes)),
                        bytes BLOB NOT NULL,
                        UNIQUE (experiment, id),
                        FOREIGN KEY (experiment, member) REFERENCES member(experiment, slot)
                    ) STRICT;
                    CREATE INDEX checkpoint_by_member ON checkpoint(experiment, member, id);

                    CREATE TABLE score (
                        id INTEGER PRIMARY KEY,
                        experiment INTEGER NOT NULL,
                        member INTEGER NOT NULL,
                        step INTEGER NOT NULL CHECK (step >= 0),
                        score REAL NOT NULL,
                        hyperparameters TEXT NOT NULL,
                        FOREIGN KEY (experiment, member) REFERENCES member(experiment, slot)
                    ) STRICT;
                    CREATE INDEX score_by_member ON score(experiment, member, id);

                    CREATE TABLE event (
                        experiment INTEGER NOT NULL,
                        sequence INTEGER NOT NULL CHECK (sequence >= 1),
                        member INTEGER NOT NULL,
                        step INTEGER NOT NULL CHECK (step >= 0),
                        donor INTEGER NOT NULL,
                        donor_step INTEGER NOT NULL CHECK (donor_step >= 0),
                        hyperparameters_before TEXT NOT NULL,
                        hyperparameters_after TEXT NOT NULL,
                        mutations TEXT NOT NULL,
                        PRIMARY KEY (experiment, sequence),
                        FOREIGN KEY (experiment, member) REFERENCES member(experiment, slot),
                        FOREIGN KEY (experiment, donor) REFERENCES member(experiment, slot)
                    ) STRICT;

                    CREATE TABLE fallback (
                        id INTEGER PRIMARY KEY,
                        experiment INTEGER NOT NULL,
                        member INTEGER NOT NULL,
                        from_checkpoint INTEGER,
                        from_step INTEGER NOT NULL CHECK (from_step >= 0),
                        to_checkpoint INTEGER,
                        to_step INTEGER NOT NULL CHECK (to_step >= 0),
                        reason TEXT NOT NULL,
                        at REAL NOT NULL,
                        FOREIGN KEY (experiment, member) REFERENCES member(experiment, slot)
                    ) STRICT;
                    """)
        }
        migrator.registerMigration("v2 checkpoints kept as files") { db in
            // SQLite cannot change a column's constraints in place: copy the table, keeping
            // ids and the id sequence (ids are never reused).
            let sequence = try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'checkpoint'")
            try db.execute(
                sql: """
                    CREATE TABLE checkpoint_v2 (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        experiment INTEGER NOT NULL,
                        member INTEGER NOT NULL,
                        step INTEGER NOT NULL CHECK (step >= 0),
                        sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
                        size INTEGER NOT NULL CHECK (size >= 0),
                        bytes BLOB,
                        in_file INTEGER NOT NULL DEFAULT 0 CHECK (in_file IN (0, 1)),
                        CHECK (CASE in_file WHEN 1 THEN bytes IS NULL ELSE size = length(bytes) END),
                        UNIQUE (experiment, id),
                        FOREIGN KEY (experiment, member) REFERENCES member(experiment, slot)
                    ) STRICT;
                    INSERT INTO checkpoint_v2 (id, experiment, member, step, sha256, size, bytes)
                        SELECT id, experiment, member, step, sha256, size, bytes FROM checkpoint;
                    DROP TABLE checkpoint;
                    ALTER TABLE checkpoint_v2 RENAME TO checkpoint;
                    CREATE INDEX checkpoint_by_member ON checkpoint(experiment, member, id);
                    CREATE INDEX checkpoint_file ON checkpoint(sha256) WHERE in_file = 1;
                    """)
            if let sequence {
                try db.execute(
                    sql: "UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = 'checkpoint'", arguments: [sequence]
                )
                try db.execute(
                    sql: "INSERT INTO sqlite_sequence (name, seq) SELECT 'checkpoint', ? WHERE changes() = 0",
                    arguments: [sequence])
            }
        }
        migrator.registerMigration(stopMigration) { db in
            try db.execute(
                sql: """
                    ALTER TABLE experiment ADD COLUMN stop_rule TEXT CHECK (stop_rule IN ('score', 'seconds',
                        'plateau'));
                    ALTER TABLE experiment ADD COLUMN stop_detail TEXT;
                    ALTER TABLE experiment ADD COLUMN stopped_at REAL;
                    ALTER TABLE experiment ADD COLUMN run_seconds REAL CHECK (run_seconds >= 0);
                    """)
        }
        migrator.registerMigration(metricsAndTimes) { db in
            try db.execute(
                sql: """
                    ALTER TABLE score ADD COLUMN metrics TEXT CHECK (metrics IS NULL OR json_type(metrics) = 'object');
                    ALTER TABLE score ADD COLUMN recorded REAL;
                    ALTER TABLE event ADD COLUMN recorded REAL;
                    """)
        }
        return migrator
    }

    /// Whether the file's `score` table has the columns of v4 (a file opened only to read may
    /// be older).
    static func hasMetricsAndTimes(_ db: Database) throws -> Bool {
        try db.columns(in: "score").contains { $0.name == "metrics" }
    }
}
