-- kneeroot schema version 6, SQLite: a revision number per person for the records their plan in force is
-- made of (assessments, plan changes, check-ins, morning reports).
--
-- Keep this file semantically identical to ../postgres/0006_record_revision.sql.
--
-- Every insert, update or delete of such a row adds one to its owner's users.record_revision, in the same
-- statement (so in the same transaction) as the write itself, whoever writes: any store method, any
-- instance, a cascade from another table. An instance that remembers what it read at revision R can then
-- check with one small read that nothing has changed since (see `AssessmentStore::plan_inputs`). The
-- triggers, not the store's code, keep the number, so a write added later cannot forget to.

ALTER TABLE users ADD COLUMN record_revision BIGINT NOT NULL DEFAULT 0;

CREATE TRIGGER assessments_revision_insert AFTER INSERT ON assessments
BEGIN
    UPDATE users SET record_revision = record_revision + 1 WHERE id = NEW.user_id;
END;
CREATE TRIGGER assessments_revision_update AFTER UPDATE ON assessments
BEGIN
    UPDATE users SET record_revision = record_revision + 1 WHERE id IN (OLD.user_id, NEW.user_id);
END;
CREATE TRIGGER assessments_revision_delete AFTER DELETE ON assessments
BEGIN
    UPDATE users SET record_revision = record_revision + 1 WHERE id = OLD.user_id;
END;

CREATE TRIGGER plan_changes_revision_insert AFTER INSERT ON plan_changes
BEGIN
    UPDATE users SET record_revision = record_revision + 1 WHERE id = NEW.user_id;
END;
CREATE TRIGGER plan_changes_revision_update AFTER UPDATE ON plan_changes
BEGIN
    UPDATE users SET record_revision = record_revision + 1 WHERE id IN (OLD.user_id, NEW.user_id);
END;
CREATE TRIGGER plan_changes_revision_delete AFTER DELETE ON plan_changes
BEGIN
    UPDATE users SET record_revision = record_revision + 1 WHERE id = OLD.user_id;
END;

CREATE TRIGGER checkins_revision_insert AFTER INSERT ON checkins
BEGIN
    UPDATE users SET record_revision = record_revision + 1 WHERE id = NEW.user_id;
END;
CREATE TRIGGER checkins_revision_update AFTER UPDATE ON checkins
BEGIN
    UPDATE users SET record_revision = record_revision + 1 WHERE id IN (OLD.user_id, NEW.user_id);
END;
CREATE TRIGGER checkins_revision_delete AFTER DELETE ON checkins
BEGIN
    UPDATE users SET record_revision = record_revision + 1 WHERE id = OLD.user_id;
END;

CREATE TRIGGER mornings_revision_insert AFTER INSERT ON mornings
BEGIN
    UPDATE users SET record_revision = record_revision + 1 WHERE id = NEW.user_id;
END;
CREATE TRIGGER mornings_revision_update AFTER UPDATE ON mornings
BEGIN
    UPDATE users SET record_revision = record_revision + 1 WHERE id IN (OLD.user_id, NEW.user_id);
END;
CREATE TRIGGER mornings_revision_delete AFTER DELETE ON mornings
BEGIN
    UPDATE users SET record_revision = record_revision + 1 WHERE id = OLD.user_id;
END;
