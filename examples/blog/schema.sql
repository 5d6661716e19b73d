-- migration: 001_posts
CREATE TABLE posts (
  id        INTEGER PRIMARY KEY,
  title     TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  body      TEXT NOT NULL,
  published INTEGER NOT NULL DEFAULT 0 CHECK (published IN (0, 1)),
  created   TEXT NOT NULL DEFAULT (datetime('now'))
);

-- migration: 002_comments
CREATE TABLE comments (
  id      INTEGER PRIMARY KEY,
  post_id INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
  author  TEXT NOT NULL,
  body    TEXT NOT NULL,
  created TEXT NOT NULL DEFAULT (datetime('now'))
);
CREATE INDEX comments_by_post ON comments (post_id, id);
