extension PostgresSchema {
    /// Migration v8: a decision may set members' scores. A copy that ends a member at the budget
    /// gives it the donor's score: it holds the donor's weights and trains no further, so its
    /// own earlier score no longer describes it. `pbt_commit_record` is v6's with two more
    /// arrays, the slots whose scores change and their new scores, applied after
    /// `pbt_commit_finish` and before the committing member's row is returned.
    static let donorScores: (id: String, statements: [String]) = (
        "v8 a decision may set members' scores",
        [
            """
            DROP FUNCTION pbt_commit_record(BIGINT, BIGINT, TEXT, DOUBLE PRECISION, BIGINT, BIGINT,
                DOUBLE PRECISION, TEXT, TEXT, BIGINT, BYTEA, BIGINT, BIGINT[], BIGINT[], TEXT[], TEXT[], BIGINT[],
                BIGINT[], BIGINT[], BIGINT[], BIGINT[], TEXT[], TEXT[], TEXT[], TEXT)
            """,
            """
            CREATE FUNCTION pbt_commit_record(
                p_experiment BIGINT, p_member BIGINT, p_worker TEXT, p_now DOUBLE PRECISION, p_checkpoint BIGINT,
                p_step BIGINT, p_score DOUBLE PRECISION, p_hyperparameters TEXT, p_sha256 TEXT, p_size BIGINT,
                p_bytes BYTEA, p_keep BIGINT,
                p_slots BIGINT[], p_steps BIGINT[], p_statuses TEXT[], p_hyperparameter_sets TEXT[],
                    p_checkpoints BIGINT[],
                p_event_members BIGINT[], p_event_steps BIGINT[], p_event_donors BIGINT[], p_event_donor_steps BIGINT[],
                p_event_before TEXT[], p_event_after TEXT[], p_event_mutations TEXT[], p_metrics TEXT,
                p_score_slots BIGINT[], p_scores DOUBLE PRECISION[])
            RETURNS TABLE (
                slot BIGINT, step BIGINT, status TEXT, hyperparameters TEXT, initial_hyperparameters TEXT,
                checkpoint BIGINT, score DOUBLE PRECISION, lease_worker TEXT, lease_expiry DOUBLE PRECISION,
                failures BIGINT, removed TEXT[])
            LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan AS $$
            #variable_conflict use_column
            DECLARE
                v_now DOUBLE PRECISION := COALESCE(p_now, extract(epoch FROM statement_timestamp())::float8);
                v_events BIGINT;
                v_removed TEXT[];
            BEGIN
                -- The session's commit lock (pbt_commit_begin) is held: no other commit adds events.
                SELECT COALESCE(MAX(v.sequence), 0) INTO v_events FROM event v WHERE v.experiment = p_experiment;
                SELECT f.removed INTO v_removed FROM pbt_commit_finish(
                    p_experiment, p_member, p_worker, p_now, p_checkpoint, p_step, p_score, p_hyperparameters, p_sha256,
                    p_size, p_bytes, p_keep, p_slots, p_steps, p_statuses, p_hyperparameter_sets, p_checkpoints,
                    p_event_members, p_event_steps, p_event_donors, p_event_donor_steps, p_event_before, p_event_after,
                    p_event_mutations) f;
                UPDATE member m SET score = u.score
                FROM unnest(p_score_slots, p_scores) AS u(slot, score)
                WHERE m.experiment = p_experiment AND m.slot = u.slot;
                UPDATE score s SET metrics = p_metrics, recorded = v_now
                WHERE s.id = (SELECT MAX(k.id) FROM score k WHERE k.experiment = p_experiment AND k.member = p_member);
                UPDATE event v SET recorded = v_now WHERE v.experiment = p_experiment AND v.sequence > v_events;
                RETURN QUERY
                    SELECT m.slot, m.step, m.status, m.hyperparameters, m.initial_hyperparameters, m.checkpoint,
                        m.score, m.lease_worker, m.lease_expiry, m.failures, v_removed
                    FROM member m WHERE m.experiment = p_experiment AND m.slot = p_member;
            END $$
            """,
        ]
    )
}
