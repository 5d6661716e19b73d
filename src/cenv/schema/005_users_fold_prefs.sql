-- Usernames are unique after Unicode NFKC normalisation and case folding, so "bob" and a
-- look-alike ("ｂｏｂ", "BOB") cannot both exist. The folded key is computed in JS
-- (src/auth/users.ts); rows from before this migration get lower(username), which is the
-- same for the ASCII names they hold.
ALTER TABLE _wce_users ADD COLUMN username_key TEXT;
UPDATE _wce_users SET username_key = lower(username);
CREATE UNIQUE INDEX _wce_users_username_key ON _wce_users(username_key);

-- Per-user preferences of the IDE (vim mode, theme, …), kept server-side so they follow
-- the person across devices. Values are JSON text.
CREATE TABLE _wce_user_prefs (
  user_id     TEXT NOT NULL REFERENCES _wce_users(id) ON DELETE CASCADE,
  key         TEXT NOT NULL,
  value       TEXT NOT NULL,
  updated_at  TEXT NOT NULL,
  PRIMARY KEY (user_id, key)
) STRICT;
