-- kneeroot schema version 7, SQLite: the camera squat screen.
--
-- Keep this file semantically identical to ../postgres/0007_camera.sql.
--
-- sessions.camera holds, as JSON text, what the camera proposed for the assessment in progress (the
-- analyses waiting for the person to confirm them) and which confirmed answers came from it; it lives
-- and dies with the session and its draft. assessments.camera keeps, with a stored assessment, the
-- camera's part in the answers it was made from (which answers, from which view, how sure), so a result
-- can say so years later. Both are NULL when no camera was used, as for every row written before.

ALTER TABLE sessions ADD COLUMN camera TEXT;
ALTER TABLE assessments ADD COLUMN camera TEXT;
