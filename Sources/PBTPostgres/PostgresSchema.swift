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
        ),
        claimAndCommitFunctions,
        (
            "v3 each member's latest copy of a donor",
            [
                // What a commit reads for the progress rule (`Scheduler.decide`).
                "CREATE INDEX event_copy_by_member ON event(experiment, member, step) WHERE donor <> member"
            ]
        ),
        (
            "v4 claims that prefer members the worker process holds",
            [
                // `pbt_claim` as in v1, but among the members at the lowest step it takes one of
                // `p_preferred` first (false sorts before true).
                "DROP FUNCTION pbt_claim(BIGINT, TEXT, DOUBLE PRECISION, DOUBLE PRECISION)",
                """
                CREATE FUNCTION pbt_claim(
                    p_experiment BIGINT, p_worker TEXT, p_now DOUBLE PRECISION, p_seconds DOUBLE PRECISION,
                        p_preferred BIGINT[])
                RETURNS TABLE (
                    slot BIGINT, step BIGINT, status TEXT, hyperparameters TEXT, initial_hyperparameters TEXT,
                    checkpoint BIGINT, score DOUBLE PRECISION, lease_worker TEXT, lease_expiry DOUBLE PRECISION,
                    failures BIGINT, unfinished BOOLEAN)
                LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan AS $$
                #variable_conflict use_column
                DECLARE
                    v_now DOUBLE PRECISION := COALESCE(p_now, extract(epoch FROM statement_timestamp())::float8);
                    v_slot BIGINT;
                    v_expiry DOUBLE PRECISION;
                BEGIN
                    SELECT m.slot INTO v_slot FROM member m
                    WHERE m.experiment = p_experiment AND m.status = 'ready' AND (m.lease_expiry IS NULL OR
                        m.lease_expiry <= v_now)
                    ORDER BY m.step, m.slot <> ALL(p_preferred), COALESCE(m.checkpoint, 0),
                        m.slot LIMIT 1 FOR UPDATE SKIP LOCKED;
                    IF NOT FOUND THEN
                        RETURN QUERY SELECT NULL::BIGINT, NULL::BIGINT, NULL::TEXT, NULL::TEXT, NULL::TEXT,
                            NULL::BIGINT,
                            NULL::DOUBLE PRECISION, NULL::TEXT, NULL::DOUBLE PRECISION, NULL::BIGINT,
                            EXISTS (SELECT 1 FROM member m WHERE m.experiment = p_experiment AND m.status IN
                                ('ready', 'waiting'));
                        RETURN;
                    END IF;
                    UPDATE claim c SET ended = LEAST(c.expires, v_now), outcome = 'lapsed'
                    WHERE c.experiment = p_experiment AND c.member = v_slot AND c.ended IS NULL;
                    v_expiry := COALESCE(p_now, extract(epoch FROM clock_timestamp())::float8) + p_seconds;
                    UPDATE member m SET lease_worker = p_worker, lease_expiry = v_expiry
                    WHERE m.experiment = p_experiment AND m.slot = v_slot;
                    INSERT INTO claim (experiment, member, worker, started, expires)
                    VALUES (p_experiment, v_slot, p_worker, v_expiry - p_seconds, v_expiry);
                    RETURN QUERY
                        SELECT m.slot, m.step, m.status, m.hyperparameters, m.initial_hyperparameters, m.checkpoint,
                            m.score, m.lease_worker, m.lease_expiry, m.failures, true
                        FROM member m WHERE m.experiment = p_experiment AND m.slot = v_slot;
                END $$
                """,
            ]
        ),
        (
            "v5 experiment stop and run time",
            [
                // Columns only added, all NULL until a `stop:` rule ends the experiment or a
                // worker measures its run time: rows of earlier versions read as before.
                """
                ALTER TABLE experiment
                    ADD COLUMN stop_rule TEXT CHECK (stop_rule IN ('score', 'seconds', 'plateau')),
                    ADD COLUMN stop_detail TEXT,
                    ADD COLUMN stopped_at DOUBLE PRECISION,
                    ADD COLUMN run_seconds DOUBLE PRECISION CHECK (run_seconds >= 0),
                    ADD CHECK ((stop_rule IS NULL) = (stop_detail IS NULL) AND (stop_rule IS NULL)
                        = (stopped_at IS NULL))
                """
            ]
        ),
        metricsAndTimes,
        commitLockPerSchema,
        donorScores,
    ]

    /// Migration v2: the claim and the two commit functions (v7 replaces the commit lock's key).
    static let claimAndCommitFunctions: (id: String, statements: [String]) = (
        "v2 claim and commit functions",
        [
            // A claim: pick and lease the least-advanced free member, skipping rows other
            // transactions hold (concurrent claims neither wait nor collide); close a
            // lapsed claim of it at its expiry; record the new claim. The lease starts
            // when the member's row is locked, not when the call started: a call that
            // began before another worker's claim and commit of the member may still pick
            // it once that commit released it. With no member to claim, one row of NULLs
            // says whether any member is unfinished.
            """
            CREATE FUNCTION pbt_claim(p_experiment BIGINT, p_worker TEXT, p_now DOUBLE PRECISION,
                p_seconds DOUBLE PRECISION)
            RETURNS TABLE (
                slot BIGINT, step BIGINT, status TEXT, hyperparameters TEXT, initial_hyperparameters TEXT,
                checkpoint BIGINT, score DOUBLE PRECISION, lease_worker TEXT, lease_expiry DOUBLE PRECISION,
                failures BIGINT, unfinished BOOLEAN)
            LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan AS $$
            #variable_conflict use_column
            DECLARE
                v_now DOUBLE PRECISION := COALESCE(p_now, extract(epoch FROM statement_timestamp())::float8);
                v_slot BIGINT;
                v_expiry DOUBLE PRECISION;
            BEGIN
                SELECT m.slot INTO v_slot FROM member m
                WHERE m.experiment = p_experiment AND m.status = 'ready' AND (m.lease_expiry IS NULL OR
                    m.lease_expiry <= v_now)
                ORDER BY m.step, COALESCE(m.checkpoint, 0), m.slot LIMIT 1 FOR UPDATE SKIP LOCKED;
                IF NOT FOUND THEN
                    RETURN QUERY SELECT NULL::BIGINT, NULL::BIGINT, NULL::TEXT, NULL::TEXT, NULL::TEXT, NULL::BIGINT,
                        NULL::DOUBLE PRECISION, NULL::TEXT, NULL::DOUBLE PRECISION, NULL::BIGINT,
                        EXISTS (SELECT 1 FROM member m WHERE m.experiment = p_experiment AND m.status IN ('ready',
                            'waiting'));
                    RETURN;
                END IF;
                UPDATE claim c SET ended = LEAST(c.expires, v_now), outcome = 'lapsed'
                WHERE c.experiment = p_experiment AND c.member = v_slot AND c.ended IS NULL;
                v_expiry := COALESCE(p_now, extract(epoch FROM clock_timestamp())::float8) + p_seconds;
                UPDATE member m SET lease_worker = p_worker, lease_expiry = v_expiry
                WHERE m.experiment = p_experiment AND m.slot = v_slot;
                INSERT INTO claim (experiment, member, worker, started, expires)
                VALUES (p_experiment, v_slot, p_worker, v_expiry - p_seconds, v_expiry);
                RETURN QUERY
                    SELECT m.slot, m.step, m.status, m.hyperparameters, m.initial_hyperparameters, m.checkpoint,
                        m.score, m.lease_worker, m.lease_expiry, m.failures, true
                    FROM member m WHERE m.experiment = p_experiment AND m.slot = v_slot;
            END $$
            """,
            // A commit is two calls around the worker's decision. `pbt_commit_begin` checks
            // the lease, takes the experiment's commit lock (a session-level advisory lock,
            // so that it outlives the call), reserves the point's checkpoint id and reads
            // the population. `pbt_commit_finish`, one transaction, turns that lock into
            // the transaction's own (held until it commits), records the point, applies
            // the decision, releases the lease and drops checkpoints nobody needs. The
            // experiment's commits are serialised by the lock and each sees every earlier
            // one, while the lock spans one round trip of the worker's rather than four.
            // Plans are generic and kept by the session: the statements are small,
            // indexed and the same every time (planning each anew cost 0.4 ms under lock).
            """
            CREATE FUNCTION pbt_commit_begin(p_experiment BIGINT, p_member BIGINT, p_worker TEXT, p_window BIGINT)
            RETURNS TABLE (
                slot BIGINT, step BIGINT, status TEXT, hyperparameters TEXT, initial_hyperparameters TEXT,
                checkpoint BIGINT, score DOUBLE PRECISION, lease_worker TEXT, lease_expiry DOUBLE PRECISION,
                failures BIGINT, recent DOUBLE PRECISION[], reserved BIGINT)
            LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan AS $$
            #variable_conflict use_column
            DECLARE
                v_reserved BIGINT;
            BEGIN
                IF (SELECT m.lease_worker FROM member m WHERE m.experiment = p_experiment AND m.slot = p_member)
                    IS DISTINCT FROM p_worker
                THEN
                    RAISE EXCEPTION USING ERRCODE = 'PBT01', MESSAGE = 'the worker no longer holds the member';
                END IF;
                -- Nothing below may fail on its own: the lock is not undone by a rollback.
                PERFORM pg_advisory_lock(7365236, p_experiment::int);
                v_reserved := nextval(pg_get_serial_sequence('checkpoint', 'id'));
                RETURN QUERY
                    SELECT m.slot, m.step, m.status, m.hyperparameters, m.initial_hyperparameters, m.checkpoint,
                        m.score, m.lease_worker, m.lease_expiry, m.failures,
                        -- A member's latest score is on its row: a window of 1 reads no scores.
                        CASE WHEN p_window = 1 THEN
                            CASE WHEN m.score IS NULL THEN '{}'::DOUBLE PRECISION[] ELSE ARRAY[m.score] END
                        ELSE ARRAY(SELECT r.score FROM (
                            SELECT s.id, s.score FROM score s WHERE s.experiment = m.experiment AND s.member = m.slot
                            ORDER BY s.id DESC LIMIT p_window) r ORDER BY r.id) END,
                        v_reserved
                    FROM member m WHERE m.experiment = p_experiment ORDER BY m.slot;
            END $$
            """,
            """
            CREATE FUNCTION pbt_commit_finish(
                p_experiment BIGINT, p_member BIGINT, p_worker TEXT, p_now DOUBLE PRECISION, p_checkpoint BIGINT,
                p_step BIGINT, p_score DOUBLE PRECISION, p_hyperparameters TEXT, p_sha256 TEXT, p_size BIGINT,
                p_bytes BYTEA, p_keep BIGINT,
                p_slots BIGINT[], p_steps BIGINT[], p_statuses TEXT[], p_hyperparameter_sets TEXT[],
                    p_checkpoints BIGINT[],
                p_event_members BIGINT[], p_event_steps BIGINT[], p_event_donors BIGINT[], p_event_donor_steps BIGINT[],
                p_event_before TEXT[], p_event_after TEXT[], p_event_mutations TEXT[])
            RETURNS TABLE (
                slot BIGINT, step BIGINT, status TEXT, hyperparameters TEXT, initial_hyperparameters TEXT,
                checkpoint BIGINT, score DOUBLE PRECISION, lease_worker TEXT, lease_expiry DOUBLE PRECISION,
                failures BIGINT, removed TEXT[])
            LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan AS $$
            #variable_conflict use_column
            DECLARE
                v_slot BIGINT;
                v_checkpoint BIGINT;
                v_removed TEXT[];
            BEGIN
                -- The transaction's lock first, then the session's goes (effective even if
                -- this transaction rolls back); the next commit waits until this one commits.
                PERFORM pg_advisory_xact_lock(7365236, p_experiment::int);
                PERFORM pg_advisory_unlock(7365236, p_experiment::int);
                IF (SELECT m.lease_worker FROM member m WHERE m.experiment = p_experiment AND m.slot = p_member
                    FOR NO KEY UPDATE) IS DISTINCT FROM p_worker
                THEN
                    RAISE EXCEPTION USING ERRCODE = 'PBT01', MESSAGE = 'the worker no longer holds the member';
                END IF;
                INSERT INTO checkpoint (id, experiment, member, step, sha256, size, bytes, in_file)
                VALUES (p_checkpoint, p_experiment, p_member, p_step, p_sha256, p_size, p_bytes, p_bytes IS NULL);
                INSERT INTO score (experiment, member, step, score, hyperparameters)
                VALUES (p_experiment, p_member, p_step, p_score, p_hyperparameters);
                UPDATE member m SET step = p_step, score = p_score, checkpoint = p_checkpoint
                WHERE m.experiment = p_experiment AND m.slot = p_member;
                UPDATE claim c SET ended = GREATEST(COALESCE(p_now, extract(epoch FROM
                    statement_timestamp())::float8), c.started),
                    outcome = 'committed'
                WHERE c.experiment = p_experiment AND c.member = p_member AND c.worker = p_worker AND c.ended IS NULL;
                -- Updates name checkpoints by id, 0 for none; each must exist.
                SELECT u.slot, u.checkpoint INTO v_slot, v_checkpoint
                FROM unnest(p_slots, p_checkpoints) AS u(slot, checkpoint)
                WHERE u.checkpoint <> 0
                  AND NOT EXISTS (SELECT 1 FROM checkpoint c WHERE c.experiment = p_experiment AND c.id = u.checkpoint)
                LIMIT 1;
                IF FOUND THEN
                    RAISE EXCEPTION USING ERRCODE = 'PBT02',
                        MESSAGE = format('update points member %s at missing checkpoint %s', v_slot, v_checkpoint);
                END IF;
                -- Releases the lease with the member's own update (one row version, not two).
                UPDATE member m SET step = u.step, status = u.status, hyperparameters = u.hyperparameters,
                    checkpoint = NULLIF(u.checkpoint, 0),
                    lease_worker = CASE WHEN m.slot = p_member THEN NULL ELSE m.lease_worker END,
                    lease_expiry = CASE WHEN m.slot = p_member THEN NULL ELSE m.lease_expiry END
                FROM unnest(p_slots, p_steps, p_statuses, p_hyperparameter_sets, p_checkpoints)
                    AS u(slot, step, status, hyperparameters, checkpoint)
                WHERE m.experiment = p_experiment AND m.slot = u.slot;
                UPDATE member m SET lease_worker = NULL, lease_expiry = NULL
                WHERE m.experiment = p_experiment AND m.slot = p_member AND m.lease_worker IS NOT NULL;
                INSERT INTO event (experiment, sequence, member, step, donor, donor_step,
                    hyperparameters_before, hyperparameters_after, mutations)
                SELECT p_experiment,
                    (SELECT COALESCE(MAX(v.sequence), 0) FROM event v WHERE v.experiment = p_experiment) + e.ordinal,
                    e.member, e.step, e.donor, e.donor_step, e.before, e.after, e.mutations
                FROM unnest(p_event_members, p_event_steps, p_event_donors, p_event_donor_steps,
                    p_event_before, p_event_after, p_event_mutations)
                    WITH ORDINALITY AS e(member, step, donor, donor_step, before, after, mutations, ordinal);
                -- The member's own checkpoints beyond its newest p_keep that no member points to.
                WITH dropped AS (
                    DELETE FROM checkpoint c
                    WHERE c.experiment = p_experiment AND c.member = p_member
                      AND c.id < (SELECT MIN(n.id) FROM (
                            SELECT k.id FROM checkpoint k WHERE k.experiment = p_experiment AND k.member = p_member
                            ORDER BY k.id DESC LIMIT p_keep) n)
                      AND c.id NOT IN (
                            SELECT m.checkpoint FROM member m WHERE m.experiment = p_experiment AND m.checkpoint IS
                                NOT NULL)
                    RETURNING c.sha256, c.in_file)
                SELECT ARRAY(SELECT d.sha256 FROM dropped d WHERE d.in_file) INTO v_removed;
                RETURN QUERY
                    SELECT m.slot, m.step, m.status, m.hyperparameters, m.initial_hyperparameters, m.checkpoint,
                        m.score, m.lease_worker, m.lease_expiry, m.failures, v_removed
                    FROM member m WHERE m.experiment = p_experiment AND m.slot = p_member;
            END $$
            """,
        ]
    )
}
