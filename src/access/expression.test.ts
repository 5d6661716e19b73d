import { test } from 'node:test';
import assert from 'node:assert/strict';
import { translateExpression } from './expression.ts';

test('principal parameters become function calls, but not inside string literals', () => {
  assert.equal(translateExpression("author = $user_id AND $role <> '$role' OR $username = 'x'"),
    "author = wce_user_id() AND wce_role() <> '$role' OR wce_username() = 'x'\n");
});

test('a trailing line comment cannot swallow the closing parenthesis', () => {
  assert.equal(translateExpression('published = 1 -- note'), 'published = 1 -- note\n');
});

const refused: Array<[string, RegExp]> = [
  ['1) FROM posts; DROP TABLE posts; SELECT (1', /one SQL expression/],
  ['1), (2', /one SQL expression/],
  ['1 /*', /not valid SQL/],
  ['$other = 1', /unknown parameter/],
  [':x = 1', /unknown parameter/],
  ['EXISTS (SELECT 1 FROM "_wce_users")', /reserved/],
  ['', /empty/],
];
for (const [expr, message] of refused) {
  test(`refused expression: ${JSON.stringify(expr)}`, () => {
    assert.throws(() => translateExpression(expr), (error: Error & { statusCode?: number }) => error.statusCode === 400 && message.test(error.message));
  });
}
