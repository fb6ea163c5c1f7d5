import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { hashPassword, passwordProblem, verifyNothing, verifyPassword } from '../../src/security/passwords.js';

describe('passwords', () => {
  test('scrypt hashes carry their parameters and a fresh salt, and verify only the right password', async () => {
    const a = await hashPassword('correct horse battery');
    const b = await hashPassword('correct horse battery');
    assert.match(a, /^scrypt\$14\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    assert.notEqual(a, b, 'salted');
    assert.equal(await verifyPassword('correct horse battery', a), true);
    assert.equal(await verifyPassword('correct horse batterY', a), false);
    assert.equal(await verifyPassword('', a), false);
  });

  // The cost (2^14, 8, 1: ~100 ms here, measured in passwords.ts) is pinned by the format check
  // above; a wall-clock assertion would only measure how loaded the test machine is.
  test('the unknown-email path does a whole derivation and answers nothing', async () => {
    assert.equal(await verifyNothing('x'.repeat(5000)), undefined);
  });

  test('malformed or oversized stored hashes are refused without computing them', async () => {
    for (const stored of ['', 'bcrypt$x', 'scrypt$30$8$1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA', 'scrypt$14$8$1$$', 'scrypt$a$b$c$d$e']) {
      assert.equal(await verifyPassword('anything', stored), false, stored);
    }
  });

  test('password rules: at least 10 characters, not only spaces', () => {
    assert.match(passwordProblem('short') ?? '', /at least 10/);
    assert.match(passwordProblem('          ') ?? '', /only spaces/);
    assert.equal(passwordProblem('long enough!'), undefined);
    assert.match(passwordProblem('x'.repeat(1025)) ?? '', /at most 1024/);
  });
});
