-- kneeroot schema version 2, SQLite: progress (check-ins, morning reports, outcome questionnaires,
-- the plan-change log).
--
-- Keep this file semantically identical to ../postgres/0002_progress.sql, under the same conventions as
-- 0001_init.sql. Booleans are INTEGER 0/1 with a CHECK (sqlx's `Any` driver cannot decode a SQLite
-- boolean, so both backends store and read integers); lists are JSON arrays in TEXT.
--
-- checkins.exercise_id is ordered by SQLite's default BINARY collation (byte order); the PostgreSQL
-- file declares COLLATE "C" on it for the same order whatever the server's locale.

-- One row per person, day and exercise; a later report for the same key replaces the row (upsert).
-- The primary key also serves "WHERE user_id = ? AND day BETWEEN ? AND ? ORDER BY day, exercise_id".
CREATE TABLE checkins (
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    day         BIGINT NOT NULL,
    exercise_id TEXT NOT NULL,
    done        INTEGER NOT NULL CHECK (done IN (0, 1)),
    sets_done   BIGINT NULL,
    reps_done   BIGINT NULL,
    pain_during BIGINT NULL CHECK (pain_during IS NULL OR (pain_during >= 0 AND pain_during <= 10)),
    quality_ok  INTEGER NOT NULL CHECK (quality_ok IN (0, 1)),
    updated_at  BIGINT NOT NULL,
    PRIMARY KEY (user_id, day, exercise_id)
);

-- One next-morning report per person and day; replaced like a check-in. flags is a JSON array of
-- red-flag answer ids, usually empty.
CREATE TABLE mornings (
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    day        BIGINT NOT NULL,
    pain       BIGINT NOT NULL CHECK (pain >= 0 AND pain <= 10),
    usual      BIGINT NOT NULL CHECK (usual >= 0 AND usual <= 10),
    stiffness  TEXT NOT NULL CHECK (stiffness IN ('less', 'same', 'more')),
    flags      TEXT NOT NULL DEFAULT '[]',
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, day)
);

-- Completed questionnaires; never edited. answers and scores are JSON.
CREATE TABLE outcome_responses (
    id         TEXT NOT NULL PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    instrument TEXT NOT NULL,
    version    TEXT NOT NULL,
    week       BIGINT NOT NULL,
    taken_at   BIGINT NOT NULL,
    answers    TEXT NOT NULL,
    scores     TEXT NOT NULL
);

-- Listing is "WHERE user_id = ? ORDER BY taken_at, id".
CREATE INDEX outcome_responses_user_taken ON outcome_responses (user_id, taken_at, id);

-- The append-only plan-change log: the store has no statement that updates or deletes a row, except
-- erasure of the owner's account (and nulling the author, below). author_id NULL means kneeroot's
-- progression rules made the change; when a clinician's account is deleted their changes stay in their
-- patients' logs with the author set to NULL.
CREATE TABLE plan_changes (
    id           TEXT NOT NULL PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    exercise_id  TEXT NOT NULL,
    replacement  TEXT NULL,
    sets         BIGINT NULL,
    reps         BIGINT NULL,
    hold_seconds BIGINT NULL,
    per_week     BIGINT NULL,
    note         TEXT NULL,
    author_id    TEXT NULL REFERENCES users (id) ON DELETE SET NULL,
    reason       TEXT NOT NULL,
    created_at   BIGINT NOT NULL
);

-- Listing is "WHERE user_id = ? ORDER BY created_at, id".
CREATE INDEX plan_changes_user_created ON plan_changes (user_id, created_at, id);

-- Deleting an account nulls author_id wherever it wrote; this keeps that from scanning the table.
CREATE INDEX plan_changes_author ON plan_changes (author_id);
