extension PostgresSchema {
    /// Migration v7: each schema's commits take a lock of their own, and the commit's first
    /// call reads where each member last copied a donor.
    ///
    /// v2 keyed the commit lock by (7365236, experiment id), and advisory locks are shared by
    /// the whole database, so experiments with the same id in different schemas (`?schema=`)
    /// waited for each other's commits. The key is now (a hash of the schema's name,
    /// experiment id); a hash collision between two schemas costs waiting, never correctness.
    /// `pbt_commit_finish` is v2's with only that key changed. `pbt_commit_begin` also returns
    /// each member's latest step at which it copied another member (v3's index answers it),
    /// which the worker read in a call of its own while holding the lock. Scores get an index
    /// in the order recorded: the latest few (PB2's history, read in every commit) and the
    /// ones a `plateau` stop rule has not seen yet are read from it.
    static let commitLockPerSchema: (id: String, statements: [String]) = (
        "v7 a commit lock per schema; the commit's first call reads the latest copies; scores in order",
        [
            "CREATE INDEX score_in_order ON score(experiment, id)",
            "DROP FUNCTION pbt_commit_begin(BIGINT, BIGINT, TEXT, BIGINT)",
            """
            CREATE FUNCTION pbt_commit_begin(p_experiment BIGINT, p_member BIGINT, p_worker TEXT, p_window BIGINT)
            RETURNS TABLE (
                slot BIGINT, step BIGINT, status TEXT, hyperparameters TEXT, initial_hyperparameters TEXT,
                checkpoint BIGINT, score DOUBLE PRECISION, lease_worker TEXT, lease_expiry DOUBLE PRECISION,
                failures BIGINT, recent DOUBLE PRECISION[], last_copy BIGINT, reserved BIGINT)
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
                PERFORM pg_advisory_lock(\(commitLockKey), p_experiment::int);
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
                        (SELECT MAX(e.step) FROM event e
                         WHERE e.experiment = m.experiment AND e.member = m.slot AND e.donor <> e.member),
                        v_reserved
                    FROM member m WHERE m.experiment = p_experiment ORDER BY m.slot;
            END $$
            """,
        ]
            + claimAndCommitFunctions.statements.filter { $0.contains("CREATE FUNCTION pbt_commit_finish") }.map {
                $0.replacingOccurrences(of: "CREATE FUNCTION", with: "CREATE OR REPLACE FUNCTION")
                    .replacingOccurrences(of: v2CommitLockKey, with: commitLockKey)
            }
    )

    /// The first key of an experiment's commit lock (the second is its id), as SQL.
    static let commitLockKey = "hashtext('pbt commit ' || current_schema())"

    /// The first key of v2's commit lock.
    private static let v2CommitLockKey = "7365236"
}
