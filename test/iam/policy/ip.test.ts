/** @module test/iam/policy/ip — CIDR parsing and containment for `IpAddress` / `NotIpAddress`. */

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { cidrContains, parseCidr, parseIp } from '../../../src/iam/policy/ip.js';

/** [cidr, address, expected] */
const CONTAINS: [string, string, boolean][] = [
  ['203.0.113.0/24', '203.0.113.7', true],
  ['203.0.113.0/24', '203.0.114.7', false],
  ['203.0.113.7', '203.0.113.7', true],
  ['203.0.113.7', '203.0.113.8', false],
  ['203.0.113.7/32', '203.0.113.7', true],
  ['10.0.0.0/8', '10.255.1.2', true],
  ['10.0.0.0/8', '11.0.0.1', false],
  ['172.16.0.0/12', '172.31.255.255', true],
  ['172.16.0.0/12', '172.32.0.0', false],
  ['192.168.1.128/25', '192.168.1.200', true],
  ['192.168.1.128/25', '192.168.1.100', false],
  ['0.0.0.0/0', '8.8.8.8', true],
  ['203.0.113.0/24', '::ffff:203.0.113.7', true],
  ['203.0.113.0/24', '::ffff:cb00:7107', true],
  ['2001:db8::/32', '2001:db8:1234::1', true],
  ['2001:db8::/32', '2001:db9::1', false],
  ['2001:db8::1', '2001:0db8:0000:0000:0000:0000:0000:0001', true],
  ['2001:db8:a::/48', '2001:db8:a:ffff::1', true],
  ['::1/128', '::1', true],
  ['fe80::/10', 'fe80::1%eth0', true],
  ['::/0', '2001:db8::1', true],
  ['::/0', '10.0.0.1', false],
  ['10.0.0.0/8', '2001:db8::1', false],
];

describe('cidrContains', () => {
  for (const [cidr, address, expected] of CONTAINS) {
    test(`${cidr} ${expected ? 'contains' : 'does not contain'} ${address}`, () => {
      const block = parseCidr(cidr);
      const ip = parseIp(address);
      assert.ok(block !== undefined && ip !== undefined);
      assert.equal(cidrContains(block, ip), expected);
    });
  }
});

describe('parseCidr rejects', () => {
  const BAD = ['', '1.2.3', '1.2.3.4.5', '256.1.1.1', '1.2.3.4/33', '1.2.3.4/', '1.2.3.4/a', 'a.b.c.d', '2001:db8::/129', '1::2::3', '12345::', '1:2:3:4:5:6:7:8:9', 'localhost'];
  for (const text of BAD) test(JSON.stringify(text), () => assert.equal(parseCidr(text), undefined));
});

test('parseIp returns 4 bytes for IPv4-mapped IPv6', () => {
  assert.deepEqual(parseIp('::ffff:192.0.2.1'), Uint8Array.from([192, 0, 2, 1]));
  assert.equal(parseIp('2001:db8::1')?.length, 16);
});
