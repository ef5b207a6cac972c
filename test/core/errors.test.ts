import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { errorDefinitions, HakoError, isHakoError } from '../../src/core/errors.js';

test('docs/errors.md lists exactly the codes in the registry, with their HTTP status', () => {
  const doc = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8');
  const documented = new Map([...doc.matchAll(/^\| `(HAKO_ERR_[A-Z_]+)` \| (\d{3}) \|/gm)].map((m) => [m[1], Number(m[2])]));
  const declared = new Map(Object.values(errorDefinitions).map((d) => [d.code, d.httpStatus]));
  assert.deepEqual(documented, declared);
});

test('error codes are unique and prefixed', () => {
  const codes = Object.values(errorDefinitions).map((d) => d.code);
  assert.equal(new Set(codes).size, codes.length);
  for (const code of codes) assert.match(code, /^HAKO_ERR_[A-Z_]+$/);
});

test('HakoError fills its template and carries code, status and cause', () => {
  const cause = new Error('EADDRINUSE');
  const error = new HakoError('PORT_IN_USE', ['MQTT', 1883, '127.0.0.1', '--mqtt-port or HAKO_MQTT_PORT'], { cause });
  assert.equal(error.message, 'MQTT port 1883 on 127.0.0.1 is already in use; choose another with --mqtt-port or HAKO_MQTT_PORT');
  assert.equal(error.code, 'HAKO_ERR_PORT_IN_USE');
  assert.equal(error.httpStatus, 500);
  assert.equal(error.cause, cause);
  assert.ok(isHakoError(error, 'PORT_IN_USE'));
  assert.ok(!isHakoError(error, 'CONFIG_INVALID'));
  assert.ok(!isHakoError(new Error('x')));
});
