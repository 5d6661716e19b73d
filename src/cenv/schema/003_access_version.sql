-- A counter the admin API bumps in the same transaction as any change to users, table
-- permissions or row policies. Tenant connections (in other processes) compare it with the
-- value they built their policy objects from; PRAGMA data_version tells them when to look.
CREATE TABLE _wce_access_version (
  id       INTEGER PRIMARY KEY CHECK (id = 1),
  version  INTEGER NOT NULL
) STRICT;
INSERT INTO _wce_access_version (id, version) VALUES (1, 1);
