-- migration: 001_accounts
CREATE TABLE accounts (
  id            INTEGER PRIMARY KEY,
  username      TEXT NOT NULL UNIQUE COLLATE NOCASE,
  salt          TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  created       TEXT NOT NULL DEFAULT (datetime('now'))
);
CREATE TABLE api_tokens (
  token_hash TEXT PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  expires    TEXT NOT NULL
);

-- migration: 002_notes
CREATE TABLE notes (
  id         INTEGER PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  text       TEXT NOT NULL,
  created    TEXT NOT NULL DEFAULT (datetime('now'))
);
CREATE INDEX notes_by_account ON notes (account_id, created);
