-- migration: 001_todos
CREATE TABLE todos (
  id         INTEGER PRIMARY KEY,
  owner      TEXT NOT NULL,
  owner_name TEXT NOT NULL,
  title      TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  done       INTEGER NOT NULL DEFAULT 0 CHECK (done IN (0, 1)),
  public     INTEGER NOT NULL DEFAULT 0 CHECK (public IN (0, 1)),
  created    TEXT NOT NULL DEFAULT (datetime('now'))
);
CREATE INDEX todos_by_owner ON todos (owner, id);
CREATE INDEX todos_by_name ON todos (owner_name, id);
