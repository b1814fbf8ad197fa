-- kneeroot schema version 4, SQLite: booking a clinician (weekly availability, appointments, and the
-- links between clinicians and the patients they may see).
--
-- Keep this file semantically identical to ../postgres/0004_booking.sql, under the same conventions as
-- 0001_init.sql (times are epoch seconds, JSON is TEXT, enums are TEXT with a CHECK). Every reference to
-- a user cascades, so the schema alone erases a person's bookings, availability and links with the
-- account; `delete_user` also deletes them explicitly.

-- One row per clinician who has set opening hours. settings is the JSON of the core's
-- WeeklyAvailability (time zone, windows, slot length, exceptions); the store does not look inside it.
-- The notice rules are columns so they can be read without parsing JSON.
CREATE TABLE availability (
    clinician_id          TEXT NOT NULL PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    settings              TEXT NOT NULL,
    notice_minutes        BIGINT NOT NULL CHECK (notice_minutes >= 0),
    cancel_notice_minutes BIGINT NOT NULL CHECK (cancel_notice_minutes >= 0),
    updated_at            BIGINT NOT NULL
);

-- Appointments. A row is never deleted except with an account: cancelling sets status and
-- cancelled_at, and moving cancels the old row and inserts a new one. assessment_id optionally names
-- the patient's assessment the appointment is about (set to NULL should that assessment ever go).
CREATE TABLE bookings (
    id            TEXT NOT NULL PRIMARY KEY,
    clinician_id  TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    patient_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    start_at      BIGINT NOT NULL,
    end_at        BIGINT NOT NULL,
    reason        TEXT NOT NULL,
    assessment_id TEXT NULL REFERENCES assessments (id) ON DELETE SET NULL,
    status        TEXT NOT NULL CHECK (status IN ('booked', 'cancelled')),
    created_at    BIGINT NOT NULL,
    cancelled_at  BIGINT NULL,
    CHECK (end_at > start_at),
    CHECK ((status = 'booked' AND cancelled_at IS NULL) OR (status = 'cancelled' AND cancelled_at IS NOT NULL))
);

-- No double booking, ever: at most one live booking per clinician and start. A constraint, not a check
-- before inserting, so two simultaneous requests (on one instance or several) cannot both pass; the
-- loser's unique violation is the "just booked by someone else" answer. Cancelled rows are outside the
-- index, so a cancelled slot can be booked again. The index also serves a clinician's booked starts.
CREATE UNIQUE INDEX bookings_one_per_slot ON bookings (clinician_id, start_at) WHERE status = 'booked';

-- A clinician's calendar, booked and cancelled: "WHERE clinician_id = ? AND start_at >= ? AND start_at < ?
-- ORDER BY start_at, created_at, id".
CREATE INDEX bookings_clinician_start ON bookings (clinician_id, start_at);

-- A patient's appointments: "WHERE patient_id = ? ORDER BY start_at, created_at, id".
CREATE INDEX bookings_patient_start ON bookings (patient_id, start_at);

-- Which patients a clinician may see. The primary key serves "the patients of a clinician"; the second
-- index serves erasing a patient's links.
CREATE TABLE care_links (
    clinician_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    patient_id   TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   BIGINT NOT NULL,
    PRIMARY KEY (clinician_id, patient_id)
);

CREATE INDEX care_links_patient ON care_links (patient_id);
