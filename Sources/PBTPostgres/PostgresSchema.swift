/// The PostgreSQL schema, as an ordered list of migrations.
///
/// A migration never changes once shipped and never uses application types: it speaks SQL
/// only. Change the schema by appending one. `pbt_migration` records which ran; a store
/// refuses a database with migrations it does not know (written by a newer swift-pbt).
/// Integrity lives in the schema: NOT NULL wherever a value is required, foreign keys from
/// members, checkpoints, scores, events, fallbacks and claims to their experiment and member,
/// unique keys, and checks on every enumerated or non-negative column.
enum PostgresSchema {
    /// Every migration, oldest first: an identifier and its SQL statements.
    static let migrations: [(id: String, statements: [String])] = [
        (
            "v1 experiments, members, checkpoints, scores, events, fallbacks, claims",
            [
                """
                CREATE TABLE experiment (
                    id BIGSERIAL PRIMARY KEY,
                    name TEXT NOT NULL UNIQUE,
                    population BIGINT NOT NULL CHECK (population >= 1),
                    configuration TEXT NOT NULL,
                    created DOUBLE PRECISION NOT NULL
                )
                """,
                """
                CREATE TABLE member (
                    experiment BIGINT NOT NULL REFERENCES experiment(id),
                    slot BIGINT NOT NULL CHECK (slot >= 0),
                    step BIGINT NOT NULL CHECK (step >= 0),
                    status TEXT NOT NULL CHECK (status IN ('ready', 'waiting', 'done', 'failed')),
                    hyperparameters TEXT NOT NULL,
                    initial_hyperparameters TEXT NOT NULL,
                    checkpoint BIGINT,
                    score DOUBLE PRECISION,
                    lease_worker TEXT,
                    lease_expiry DOUBLE PRECISION,
                    failures BIGINT NOT NULL DEFAULT 0 CHECK (failures >= 0),
                    PRIMARY KEY (experiment, slot),
                    CHECK ((lease_worker IS NULL) = (lease_expiry IS NULL))
                )
                """,
                """
                CREATE TABLE checkpoint (
                    id BIGSERIAL PRIMARY KEY,
                    experiment BIGINT NOT NULL,
                    member BIGINT NOT NULL,
                    step BIGINT NOT NULL CHECK (step >= 0),
                    sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
                    size BIGINT NOT NULL CHECK (size >= 0),
                    bytes BYTEA CHECK (bytes IS NULL OR length(bytes) = size),
                    in_file BOOLEAN NOT NULL,
                    UNIQUE (experiment, id),
                    FOREIGN KEY (experiment, member) REFERENCES member(experiment, slot),
                    CHECK (in_file = (bytes IS NULL))
                )
                """,
                "CREATE INDEX checkpoint_by_member ON checkpoint(experiment, member, id)",
                "CREATE INDEX checkpoint_by_sha256 ON checkpoint(sha256) WHERE in_file",
                """
                ALTER TABLE member ADD FOREIGN KEY (experiment, checkpoint) REFERENCES checkpoint(experiment, id)
                """,
                "CREATE INDEX member_by_checkpoint ON member(experiment, checkpoint)",
                """
                CREATE TABLE score (
                    id BIGSERIAL PRIMARY KEY,
                    experiment BIGINT NOT NULL,
                    member BIGINT NOT NULL,
                    step BIGINT NOT NULL CHECK (step >= 0),
                    score DOUBLE PRECISION NOT NULL CHECK (score <> 'NaN'),
                    hyperparameters TEXT NOT NULL,
                    FOREIGN KEY (experiment, member) REFERENCES member(experiment, slot)
                )
                """,
                "CREATE INDEX score_by_member ON score(experiment, member, id)",
                """
                CREATE TABLE event (
                    experiment BIGINT NOT NULL,
                    sequence BIGINT NOT NULL CHECK (sequence >= 1),
                    member BIGINT NOT NULL,
                    step BIGINT NOT NULL CHECK (step >= 0),
                    donor BIGINT NOT NULL,
                    donor_step BIGINT NOT NULL CHECK (donor_step >= 0),
                    hyperparameters_before TEXT NOT NULL,
                    hyperparameters_after TEXT NOT NULL,
                    mutations TEXT NOT NULL,
                    PRIMARY KEY (experiment, sequence),
                    FOREIGN KEY (experiment, member) REFERENCES member(experiment, slot),
                    FOREIGN KEY (experiment, donor) REFERENCES member(experiment, slot)
                )
                """,
                """
                CREATE TABLE fallback (
                    id BIGSERIAL PRIMARY KEY,
                    experiment BIGINT NOT NULL,
                    member BIGINT NOT NULL,
                    from_checkpoint BIGINT,
                    from_step BIGINT NOT NULL CHECK (from_step >= 0),
                    to_checkpoint BIGINT,
                    to_step BIGINT NOT NULL CHECK (to_step >= 0),
                    reason TEXT NOT NULL,
                    at DOUBLE PRECISION NOT NULL,
                    FOREIGN KEY (experiment, member) REFERENCES member(experiment, slot)
                )
                """,
                """
                CREATE TABLE claim (
                    id BIGSERIAL PRIMARY KEY,
                    experiment BIGINT NOT NULL,
                    member BIGINT NOT NULL,
                    worker TEXT NOT NULL,
                    started DOUBLE PRECISION NOT NULL,
                    expires DOUBLE PRECISION NOT NULL CHECK (expires >= started),
                    ended DOUBLE PRECISION CHECK (ended >= started),
                    outcome TEXT CHECK (outcome IN ('committed', 'released', 'failed', 'lapsed')),
                    FOREIGN KEY (experiment, member) REFERENCES member(experiment, slot),
                    CHECK ((ended IS NULL) = (outcome IS NULL))
                )
                """,
                "CREATE UNIQUE INDEX claim_open_per_member ON claim(experiment, member) WHERE ended IS NULL",
            ]
        )
    ]
}
