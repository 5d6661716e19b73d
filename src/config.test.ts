import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig, ConfigError } from './config.ts';
import { nameProblem, parseCenvRef } from './cenv/ids.ts';

describe('configuration', () => {
  test('defaults', () => {
    const config = loadConfig({});
    assert.equal(config.port, 5309);
    assert.equal(config.bcryptCost, 12);
    assert.equal(config.allowNewCenvs, true);
    assert.ok(config.dataDir.endsWith('/cenvs'));
    assert.equal(config.jwtSecret, null);
  });

  const bad: Array<[Record<string, string>, RegExp]> = [
    [{ WCE_PORT: 'eighty' }, /WCE_PORT must be a whole number/],
    [{ WCE_PORT: '70000' }, /WCE_PORT must be between 0 and 65535/],
    [{ WCE_JWT_SECRET: 'short' }, /WCE_JWT_SECRET must be at least 32 bytes, got 5/],
    [{ ALLOW_NEW_CENVS: 'maybe' }, /ALLOW_NEW_CENVS must be true or false/],
    [{ WCE_BCRYPT_COST: '3' }, /WCE_BCRYPT_COST must be between 4 and 16/],
    [{ WCE_TRUST_PROXY: 'my-proxy.example' }, /WCE_TRUST_PROXY must be/],
  ];
  for (const [env, message] of bad) {
    test(`refuses ${JSON.stringify(env)}`, () => {
      assert.throws(() => loadConfig(env), (error: Error) => error instanceof ConfigError && message.test(error.message));
    });
  }

  test('WCE_TRUST_PROXY forms', () => {
    assert.equal(loadConfig({}).trustProxy, false);
    assert.equal(loadConfig({ WCE_TRUST_PROXY: 'true' }).trustProxy, true);
    assert.deepEqual(loadConfig({ WCE_TRUST_PROXY: '10.0.0.1, 192.168.0.0/16' }).trustProxy, ['10.0.0.1', '192.168.0.0/16']);
  });

  test('a secret is never echoed in the error', () => {
    assert.throws(() => loadConfig({ WCE_JWT_SECRET: 'hunter2-secret' }), (error: Error) => !error.message.includes('hunter2'));
  });
});

describe('cenv names and ids', () => {
  const cases: Array<[string, 'id' | 'name' | null]> = [
    ['123E4567-E89B-12D3-A456-426614174000', 'id'], ['my-app', 'name'], ['abc', 'name'], ['a'.repeat(40), 'name'],
    ['a'.repeat(41), null], ['ab', null], ['new', null], ['health', null], ['metrics', null], ['static', null],
    ['api', null], ['docs', null], ['admin', null], ['login', null], ['My-App', null], ['my_app', null],
    ['../etc', null], ['', null], ['my.app', null],
  ];
  for (const [segment, kind] of cases) {
    test(`"${segment.slice(0, 20)}" is ${kind ?? 'rejected'}`, () => {
      assert.equal(parseCenvRef(segment)?.kind ?? null, kind);
    });
  }
  test('ids are normalised to lower case', () => {
    assert.deepEqual(parseCenvRef('123E4567-E89B-12D3-A456-426614174000'), { kind: 'id', id: '123e4567-e89b-12d3-a456-426614174000' });
  });
  test('a name must not parse as a UUID', () => {
    assert.match(nameProblem('123e4567-e89b-12d3-a456-426614174000') ?? '', /UUID|3 to 40/);
  });
});
