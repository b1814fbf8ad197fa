-- kneeroot schema version 5, PostgreSQL: the clinic's side (invitations, and the audit log of every
-- clinician's look at or change to a patient's record).
--
-- Keep this file semantically identical to ../sqlite/0005_clinic.sql, under the same conventions as
-- 0001_init.sql (times are epoch seconds, enums are TEXT with a CHECK).

-- An invitation to join the clinic. Only a hash of its secret token is stored (like sessions), so a copy
-- of the database cannot be used to accept one. clinician_id is set for a patient's invitation: accepting
-- it links the patient to that clinician. accepted_by is set with accepted_at, once.
CREATE TABLE invitations (
    token_hash   TEXT NOT NULL PRIMARY KEY,
    email        TEXT NOT NULL,
    role         TEXT NOT NULL CHECK (role IN ('patient', 'clinician', 'admin')),
    invited_by   TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    clinician_id TEXT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL,
    accepted_at  BIGINT NULL,
    accepted_by  TEXT NULL REFERENCES users (id) ON DELETE SET NULL,
    CHECK (expires_at > created_at),
    CHECK (accepted_by IS NULL OR accepted_at IS NOT NULL)
);

-- "The invitations this person sent, newest first".
CREATE INDEX invitations_invited_by ON invitations (invited_by, created_at);

-- Who looked at or changed which patient's record, and when. Append-only, enforced by the schema:
-- no row is ever updated, and a row can be deleted only once its patient's account is gone (the
-- account's erasure deletes the user first, then these rows). actor_id has no foreign key and the actor's
-- email and role are copied in, so the entry outlives the clinician's account and stays readable.
CREATE TABLE audit_log (
    id          TEXT NOT NULL PRIMARY KEY,
    at          BIGINT NOT NULL,
    actor_id    TEXT NOT NULL,
    actor_email TEXT NOT NULL,
    actor_role  TEXT NOT NULL CHECK (actor_role IN ('patient', 'clinician', 'admin')),
    patient_id  TEXT NOT NULL,
    action      TEXT NOT NULL CHECK (action IN ('view', 'change', 'export')),
    what        TEXT NOT NULL
);

-- A patient's log, oldest first: "WHERE patient_id = ? ORDER BY at, id".
CREATE INDEX audit_log_patient_at ON audit_log (patient_id, at, id);

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' OR EXISTS (SELECT 1 FROM users WHERE id = OLD.patient_id) THEN
        RAISE EXCEPTION 'audit_log is append-only';
    END IF;
    RETURN OLD;
END;
$$;

CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
