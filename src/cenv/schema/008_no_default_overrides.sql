-- A row in _wce_config is an owner's override (the settings page shows it as "this cenv", with
-- a Reset). 002 stored session_timeout_hours = 24 in every cenv, so every cenv appeared to have
-- overridden it with the default. The default lives in src/cenv/settings.ts; a row equal to it
-- (there is no server variable for this setting) changes nothing and goes.
DELETE FROM _wce_config WHERE key = 'session_timeout_hours' AND value = '24';
