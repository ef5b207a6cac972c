/**
 * Which statements and templates parse the payload: only those that read it (a field, `*`, a nested
 * SELECT over either). A rule on the topic and the client never does, so its payload's bytes are never
 * read; the observable is the context's cached parse (`parsed`), which stays unset.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileTemplate, evaluate, parseSql } from '../../../src/rules/sql/index.js';
import { ctxOf, V1, V2 } from './helpers.js';

const payload = { humidity: 72, readings: [{ v: 1 }, { v: 2 }] };

const statements: readonly (readonly [string, boolean])[] = [
  ["SELECT topic(2) AS room, clientid() AS client, timestamp() AS at FROM 'a/#'", false],
  ["SELECT topic() FROM 'a/#' WHERE startswith(topic(), 'sensors/') AND clientid() <> 'x'", false],
  ["SELECT VALUE concat(topic(1), '-', principal()) FROM 'a/#'", false],
  ["SELECT CASE topic(2) WHEN 'kitchen' THEN 1 ELSE 2 END AS n, [1, 2] AS list, {'k': newuuid()} AS o FROM 'a/#'", false],
  ["SELECT cast(topic(3) AS String) AS t, -length(topic()) AS n FROM 'a/#' WHERE NOT (topic(1) = 'x')", false],
  ["SELECT humidity FROM 'a/#'", true],
  ["SELECT * FROM 'a/#'", true],
  ["SELECT topic() FROM 'a/#' WHERE humidity > 70", true],
  ["SELECT encode(*, 'base64') AS raw FROM 'a/#'", true],
  ["SELECT readings[0].v AS first FROM 'a/#'", true],
  ["SELECT get(readings, 1) AS second FROM 'a/#'", true],
  ["SELECT [1, humidity] AS list FROM 'a/#'", true],
  ["SELECT {'h': humidity} AS o FROM 'a/#'", true],
  ["SELECT CASE WHEN humidity > 70 THEN 'wet' END AS state FROM 'a/#'", true],
  ["SELECT topic(humidity) AS t FROM 'a/#'", true],
  ["SELECT (SELECT v FROM readings) AS vs FROM 'a/#'", true],
];

/** Nested SELECT, array and object literals, encode() and length() are 2016-03-23 only. */
const versionsOf = (sql: string): string[] => (/\(SELECT|encode\(|length\(|\[|\{/.test(sql) ? [V2] : [V1, V2]);

for (const [sql, reads] of statements) {
  for (const version of versionsOf(sql)) {
    test(`${reads ? 'parses' : 'does not parse'} the payload (${version}): ${sql}`, () => {
      const ctx = ctxOf(payload);
      assert.equal(evaluate(parseSql(sql, version as typeof V2), ctx).matched, true);
      assert.equal(ctx.parsed !== undefined, reads);
    });
  }
}

test('a rule that does not read the payload answers the same whatever the payload is', () => {
  const statement = parseSql("SELECT topic(2) AS room, clientid() AS client FROM 'sensors/+/humidity' WHERE topic(3) = 'humidity'", V2);
  for (const bytes of ['{"humidity": 72}', 'not json', '{broken', '']) {
    const result = evaluate(statement, ctxOf(bytes, { clientId: 'dev-1' }));
    assert.deepEqual(result, { matched: true, output: { room: 'kitchen', client: 'dev-1' } });
  }
});

test('a template parses the payload only when one of its expressions reads it', () => {
  const byTopic = ctxOf(payload);
  assert.equal(compileTemplate('out/${topic(2)}/${clientid()}', V2).render(byTopic), 'out/kitchen/n/a');
  assert.equal(byTopic.parsed, undefined);
  const byField = ctxOf(payload);
  assert.equal(compileTemplate('out/${topic(2)}/${humidity}', V2).render(byField), 'out/kitchen/72');
  assert.deepEqual(byField.parsed, payload);
});
