extension PostgresSchema {
    /// Migration v6: a score keeps its metrics (a JSON object, NULL for none) and the time it
    /// was recorded, an event the time it was recorded (seconds since 1970; NULL in older
    /// rows). `pbt_commit_record` is `pbt_commit_finish` (v2) plus the point's metrics: it
    /// records the commit's score and events with the commit's time, in the same transaction.
    static let metricsAndTimes: (id: String, statements: [String]) = (
        "v6 metrics and record times",
        [
            """
            ALTER TABLE score
                ADD COLUMN metrics TEXT CHECK (metrics IS NULL OR jsonb_typeof(metrics::jsonb) = 'object'),
                ADD COLUMN recorded DOUBLE PRECISION
            """,
            "ALTER TABLE event ADD COLUMN recorded DOUBLE PRECISION",
            """
            CREATE FUNCTION pbt_commit_record(
                p_experiment BIGINT, p_member BIGINT, p_worker TEXT, p_now DOUBLE PRECISION, p_checkpoint BIGINT,
                p_step BIGINT, p_score DOUBLE PRECISION, p_hyperparameters TEXT, p_sha256 TEXT, p_size BIGINT,
                p_bytes BYTEA, p_keep BIGINT,
                p_slots BIGINT[], p_steps BIGINT[], p_statuses TEXT[], p_hyperparameter_sets TEXT[],
                    p_checkpoints BIGINT[],
                p_event_members BIGINT[], p_event_steps BIGINT[], p_event_donors BIGINT[], p_event_donor_steps BIGINT[],
                p_event_before TEXT[], p_event_after TEXT[], p_event_mutations TEXT[], p_metrics TEXT)
            RETURNS TABLE (
                slot BIGINT, step BIGINT, status TEXT, hyperparameters TEXT, initial_hyperparameters TEXT,
                checkpoint BIGINT, score DOUBLE PRECISION, lease_worker TEXT, lease_expiry DOUBLE PRECISION,
                failures BIGINT, removed TEXT[])
            LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan AS $$
            #variable_conflict use_column
            DECLARE
                v_now DOUBLE PRECISION := COALESCE(p_now, extract(epoch FROM statement_timestamp())::float8);
                v_events BIGINT;
            BEGIN
                -- The session's commit lock (pbt_commit_begin) is held: no other commit adds events.
                SELECT COALESCE(MAX(v.sequence), 0) INTO v_events FROM event v WHERE v.experiment = p_experiment;
                RETURN QUERY SELECT * FROM pbt_commit_finish(
                    p_experiment, p_member, p_worker, p_now, p_checkpoint, p_step, p_score, p_hyperparameters, p_sha256,
                    p_size, p_bytes, p_keep, p_slots, p_steps, p_statuses, p_hyperparameter_sets, p_checkpoints,
                    p_event_members, p_event_steps, p_event_donors, p_event_donor_steps, p_event_before, p_event_after,
                    p_event_mutations);
                UPDATE score s SET metrics = p_metrics, recorded = v_now
                WHERE s.id = (SELECT MAX(k.id) FROM score k WHERE k.experiment = p_experiment AND k.member = p_member);
                UPDATE event v SET recorded = v_now WHERE v.experiment = p_experiment AND v.sequence > v_events;
            END $$
            """,
        ]
    )
}
