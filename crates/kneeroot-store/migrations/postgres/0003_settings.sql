-- Per-account preferences. Reminders are off unless the person turns them on.
CREATE TABLE user_settings (
    user_id TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    reminders INTEGER NOT NULL DEFAULT 0 CHECK (reminders IN (0, 1))
);
