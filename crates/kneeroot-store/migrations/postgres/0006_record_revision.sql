-- kneeroot schema version 6, PostgreSQL: a revision number per person for the records their plan in
-- force is made of (assessments, plan changes, check-ins, morning reports).
--
-- Keep this file semantically identical to ../sqlite/0006_record_revision.sql.
--
-- Every insert, update or delete of such a row adds one to its owner's users.record_revision, in the same
-- statement (so in the same transaction) as the write itself, whoever writes: any store method, any
-- instance, a cascade from another table (ON DELETE SET NULL of a plan change's author is an UPDATE).
-- An instance that remembers what it read at revision R can then check with one small read that nothing
-- has changed since (see `AssessmentStore::plan_inputs`). The triggers, not the store's code, keep the
-- number, so a write added later cannot forget to.

ALTER TABLE users ADD COLUMN record_revision BIGINT NOT NULL DEFAULT 0;

CREATE FUNCTION kneeroot_bump_record_revision() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE users SET record_revision = record_revision + 1 WHERE id = OLD.user_id;
    END IF;
    IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.user_id IS DISTINCT FROM OLD.user_id) THEN
        UPDATE users SET record_revision = record_revision + 1 WHERE id = NEW.user_id;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER assessments_revision AFTER INSERT OR UPDATE OR DELETE ON assessments
    FOR EACH ROW EXECUTE FUNCTION kneeroot_bump_record_revision();
CREATE TRIGGER plan_changes_revision AFTER INSERT OR UPDATE OR DELETE ON plan_changes
    FOR EACH ROW EXECUTE FUNCTION kneeroot_bump_record_revision();
CREATE TRIGGER checkins_revision AFTER INSERT OR UPDATE OR DELETE ON checkins
    FOR EACH ROW EXECUTE FUNCTION kneeroot_bump_record_revision();
CREATE TRIGGER mornings_revision AFTER INSERT OR UPDATE OR DELETE ON mornings
    FOR EACH ROW EXECUTE FUNCTION kneeroot_bump_record_revision();
