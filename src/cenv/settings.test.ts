/** The settings registry: validation, ceilings from the environment, resolution and description. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ceilingOf, resolveSettings, serverSettings, settingProblem, settingSpec, SETTING_KEYS, SettingEnvError } from './settings.ts';
import { describeSettings } from './settings-describe.ts';

test('settings: every key has a description, a default within its bounds, and one definition', () => {
  for (const key of SETTING_KEYS) {
    const spec = settingSpec(key);
    assert.ok(spec.description.length > 10, key);
    if (spec.type === 'integer') assert.ok(spec.default >= spec.min && spec.default <= spec.max, key);
    else assert.equal(settingProblem(key, spec.default, serverSettings({})), null, key);
  }
});

const server = serverSettings({});
const cases: Array<[string, unknown, RegExp | null]> = [
  ['max_rows', 50, null],
  ['max_rows', 0, /max_rows must be a whole number from 1 to 1000000/],
  ['max_rows', 1.5, /whole number/],
  ['max_rows', '50', /whole number/],
  ['sql_timeout_ms', 5, /from 10 to/],
  ['no_such_key', 1, /unknown setting "no_such_key"/],
  ['session_timeout_hours', null, /whole number/],
];
for (const [key, value, problem] of cases) {
  test(`settings: ${key} = ${JSON.stringify(value)} is ${problem ? 'refused' : 'accepted'}`, () => {
    const found = settingProblem(key, value, server);
    if (problem) assert.match(found ?? '', problem);
    else assert.equal(found, null);
  });
}

test('settings: an environment ceiling caps what a cenv may set; a default does not', () => {
  const env = serverSettings({ WCE_SQL_TIMEOUT_MS: '5000', WCE_MAX_ROWS: '20' });
  assert.deepEqual(env.sql_timeout_ms, { value: 5000, source: 'env', ceiling: 5000 });
  assert.match(settingProblem('sql_timeout_ms', 6000, env)!, /from 10 to 5000 \(this server's ceiling, WCE_SQL_TIMEOUT_MS\)/);
  assert.equal(settingProblem('sql_timeout_ms', 4000, env), null);
  assert.equal(settingProblem('max_rows', 500, env), null, 'WCE_MAX_ROWS is a server-wide default, not a ceiling');
});

test('settings: a bad environment value names the variable', () => {
  assert.throws(() => serverSettings({ WCE_SQL_TIMEOUT_MS: 'soon' }), (e: Error) => e instanceof SettingEnvError && /WCE_SQL_TIMEOUT_MS/.test(e.message));
  assert.throws(() => serverSettings({ WCE_MAX_DB_BYTES: '10' }), /WCE_MAX_DB_BYTES must be a whole number from/);
});

test('settings: stored rows override, and stored values that no longer pass are ignored, never trusted', () => {
  const env = serverSettings({ WCE_SQL_TIMEOUT_MS: '5000' });
  const resolved = resolveSettings([
    { key: 'max_rows', value: '50' }, { key: 'sql_timeout_ms', value: '99999' }, { key: 'junk', value: '1' }, { key: 'max_db_bytes', value: 'not json' },
  ], env);
  assert.equal(resolved.max_rows, 50);
  assert.equal(resolved.sql_timeout_ms, 5000, 'over the ceiling: the server value applies');
  assert.equal(resolved.max_db_bytes, 100 * 1024 * 1024);
  const described = describeSettings([{ key: 'max_rows', value: '50' }], env);
  assert.deepEqual(described.find((d) => d.key === 'max_rows')!.source, 'cenv');
  assert.deepEqual(described.find((d) => d.key === 'sql_timeout_ms')!.source, 'env');
  assert.equal(described.find((d) => d.key === 'sql_timeout_ms')!.max, 5000);
  assert.deepEqual(described.find((d) => d.key === 'render_timeout_ms')!.source, 'default');
});

test('settings: where 0 means "no limit", a cenv may lower a limit but never lift it past the ceiling', () => {
  const capped = serverSettings({ WCE_RATE_LIMIT_IP_PER_MIN: '100' });
  assert.match(settingProblem('rate_limit_ip_per_min', 0, capped)!, /from 1 to 100 \(this server's ceiling, WCE_RATE_LIMIT_IP_PER_MIN\)/);
  assert.match(settingProblem('rate_limit_ip_per_min', 101, capped)!, /from 1 to 100/);
  assert.equal(settingProblem('rate_limit_ip_per_min', 100, capped), null);
  assert.equal(settingProblem('rate_limit_ip_per_min', 1, capped), null);
  const off = serverSettings({ WCE_RATE_LIMIT_IP_PER_MIN: '0' });
  assert.equal(settingProblem('rate_limit_ip_per_min', 0, off), null, 'the server has no limit: any value is lower');
  assert.equal(settingProblem('rate_limit_ip_per_min', 5000, off), null);
  assert.equal(ceilingOf('rate_limit_ip_per_min', off), 0);
  assert.equal(ceilingOf('body_limit_bytes', serverSettings({ WCE_BODY_LIMIT_BYTES: '2048' })), 2048);
  assert.equal(ceilingOf('body_limit_bytes', serverSettings({})), 1024 * 1024, 'without the variable, the default is the ceiling');
  assert.match(settingProblem('sql_timeout_ms', 60_000, serverSettings({}))!, /from 10 to 30000/, 'a cenv cannot raise a protective limit the operator left alone');
  assert.equal(settingProblem('sql_timeout_ms', 1000, serverSettings({})), null, 'but may lower it');
  assert.equal(settingProblem('max_rows', 50_000, serverSettings({})), null, 'a default-role key is not capped');
  const described = describeSettings([], capped).find((d) => d.key === 'rate_limit_ip_per_min')!;
  assert.deepEqual([described.min, described.max, described.zero_means, described.env_role], [1, 100, 'no limit', 'ceiling']);
});

test('settings: cors_allowed_origins takes bare origins only', () => {
  const server = serverSettings({});
  assert.equal(settingProblem('cors_allowed_origins', ['https://app.example.com', 'http://localhost:3000'], server), null);
  assert.match(settingProblem('cors_allowed_origins', ['https://app.example.com/'], server)!, /without path/);
  assert.match(settingProblem('cors_allowed_origins', ['*'], server)!, /not a URL/);
  assert.match(settingProblem('cors_allowed_origins', 'https://app.example.com', server)!, /must be a list/);
  assert.match(settingProblem('cors_allowed_origins', ['ftp://x.example'], server)!, /http or https/);
});
