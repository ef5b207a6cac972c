/**
 * @module test/streams/delivery/prefix.test — Firehose's prefix rules, table-driven: the Java
 * DateTimeFormatter subset of `!{timestamp:…}`, AWS's defaults for `Prefix` and `ErrorOutputPrefix`
 * (the examples of AWS's "Custom Prefixes for Amazon S3 Objects" page among them), the prefixes AWS
 * refuses, `random-string`, partition keys, the 512-character limit and the object name suffix.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { destinationPrefixes, evaluatePrefix, objectSuffix, parsePrefix, PrefixError } from '../../../src/streams/delivery/prefix.js';
import { compileTimeFormat, TimeFormatError } from '../../../src/streams/delivery/time-format.js';

/** 10:30:05.123 UTC on Monday 27 August 2018 (day 239), the instant of AWS's examples. */
const AT = Date.UTC(2018, 7, 27, 10, 30, 5, 123);
const RANDOM = (): string => '5abf82daaa5';

describe('timestamp patterns (Java DateTimeFormatter subset, UTC)', () => {
  const cases: Array<[string, string]> = [
    ['yyyy/MM/dd/HH/', '2018/08/27/10/'],
    ["yyyy'-'MM'-'dd", '2018-08-27'],
    ["'year='yyyy", 'year=2018'],
    ["HH''mm", "10'30"],
    ['yy', '18'],
    ['y', '2018'],
    ['M/d/H', '8/27/10'],
    ['MMM MMMM', 'Aug August'],
    ['D DDD', '239 239'],
    ['EEE EEEE', 'Mon Monday'],
    ['hh:mm a', '10:30 AM'],
    ['HH:mm:ss.SSS', '10:30:05.123'],
    ['SS', '12'],
    ['uuuu-MM', '2018-08'],
    ['', ''],
  ];
  for (const [pattern, expected] of cases) it(`'${pattern}' → '${expected}'`, () => assert.equal(compileTimeFormat(pattern)(AT), expected));

  it('midnight in the 24-hour k and the 12-hour h and K forms', () => {
    const midnight = Date.UTC(2018, 0, 1, 0, 5);
    assert.equal(compileTimeFormat('k h K a D')(midnight), '24 12 0 AM 1');
  });

  for (const bad of ['Q', 'yyyy[MM]', "'open", 'ddd', 'zzz', 'HHH']) {
    it(`refuses '${bad}'`, () => assert.throws(() => compileTimeFormat(bad), TimeFormatError));
  }
});

describe('Prefix and ErrorOutputPrefix as AWS evaluates them', () => {
  const cases: Array<{ name: string; prefix?: string; error?: string; data: string; errors: string }> = [
    { name: 'neither: the default yyyy/MM/dd/HH/', data: '2018/08/27/10/', errors: 'processing-failed/2018/08/27/10/' },
    { name: 'a plain prefix gets the hours appended; errors go under it', prefix: 'myFirehosePrefix/', data: 'myFirehosePrefix/2018/08/27/10/', errors: 'myFirehosePrefix/processing-failed/2018/08/27/10/' },
    { name: 'AWS example 1: no prefix, an error prefix with an expression', error: 'myFirehoseFailures/!{firehose:error-output-type}/', data: '2018/08/27/10/', errors: 'myFirehoseFailures/processing-failed/' },
    {
      name: 'AWS example 3: timestamps and a random string',
      prefix: 'myFirehose/DeliveredYear=!{timestamp:yyyy}/anyMonth/rand=!{firehose:random-string}',
      error: 'myFirehoseFailures/!{firehose:error-output-type}/!{timestamp:yyyy}/anyMonth/!{timestamp:dd}',
      data: 'myFirehose/DeliveredYear=2018/anyMonth/rand=5abf82daaa5',
      errors: 'myFirehoseFailures/processing-failed/2018/anyMonth/27',
    },
    {
      name: 'AWS example 4: Hive-style partitions',
      prefix: 'myPrefix/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/',
      error: 'myErrorPrefix/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/!{firehose:error-output-type}',
      data: 'myPrefix/year=2018/month=08/day=27/hour=10/',
      errors: 'myErrorPrefix/year=2018/month=08/day=27/hour=10/processing-failed',
    },
    { name: 'expressions but no timestamp: the hours are appended', prefix: 'rand/!{firehose:random-string}/', error: 'e/!{firehose:error-output-type}/', data: 'rand/5abf82daaa5/2018/08/27/10/', errors: 'e/processing-failed/' },
    { name: 'a plain error prefix gets the error type and hours', prefix: 'data/', error: 'failed/', data: 'data/2018/08/27/10/', errors: 'failed/processing-failed/2018/08/27/10/' },
    { name: 'quoted text in a timestamp is literal', prefix: "!{timestamp:'dt='yyyy-MM-dd}/", error: '!{firehose:error-output-type}/', data: 'dt=2018-08-27/', errors: 'processing-failed/' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const prefixes = destinationPrefixes(c.prefix, c.error);
      assert.equal(evaluatePrefix(prefixes.prefix, { arrivalMs: AT, randomString: RANDOM }), c.data);
      assert.equal(evaluatePrefix(prefixes.errorOutputPrefix, { arrivalMs: AT, errorOutputType: 'processing-failed', randomString: RANDOM }), c.errors);
    });
  }

  const refused: Array<{ name: string; prefix?: string; error?: string; message: RegExp }> = [
    { name: 'expressions in Prefix need an ErrorOutputPrefix', prefix: '!{timestamp:yyyy}/', message: /ErrorOutputPrefix cannot be null/ },
    { name: 'error-output-type in Prefix', prefix: 'x/!{firehose:error-output-type}/', error: 'e/!{firehose:error-output-type}', message: /only allowed in the ErrorOutputPrefix/ },
    { name: 'an ErrorOutputPrefix with expressions but no error-output-type', error: 'e/!{timestamp:yyyy}/', message: /must contain at least one/ },
    { name: 'partition keys in ErrorOutputPrefix', prefix: 'p/', error: 'e/!{firehose:error-output-type}/!{partitionKeyFromQuery:k}/', message: /cannot contain partitionKeyFromQuery/ },
    { name: 'an unknown namespace', prefix: 'a/!{unknown:x}/', error: 'e/!{firehose:error-output-type}', message: /Unknown namespace 'unknown'/ },
    { name: 'an unknown firehose value', prefix: 'a/!{firehose:stream-name}/', error: 'e/!{firehose:error-output-type}', message: /Unknown firehose expression/ },
    { name: 'an unclosed expression', prefix: 'a/!{timestamp:yyyy', error: 'e/!{firehose:error-output-type}', message: /not closed/ },
    { name: 'a bad timestamp pattern', prefix: 'a/!{timestamp:QQ}/', error: 'e/!{firehose:error-output-type}', message: /Invalid timestamp expression/ },
  ];
  for (const c of refused) it(`refuses ${c.name}`, () => assert.throws(() => destinationPrefixes(c.prefix, c.error), (error: Error) => error instanceof PrefixError && c.message.test(error.message)));

  it('each random-string is a new 11-character string; every timestamp is the same instant', () => {
    const value = evaluatePrefix(parsePrefix('!{firehose:random-string}/!{firehose:random-string}/!{timestamp:HH}-!{timestamp:HH}'), { arrivalMs: AT });
    const [a, b, hours] = value.split('/');
    assert.equal(a?.length, 11);
    assert.equal(b?.length, 11);
    assert.notEqual(a, b);
    assert.equal(hours, '10-10');
  });

  it('partition keys come from the record batch; a missing one is an error', () => {
    const template = parsePrefix('customer=!{partitionKeyFromQuery:customer_id}/!{partitionKeyFromLambda:region}/');
    assert.equal(evaluatePrefix(template, { arrivalMs: AT, partitionKeys: { customer_id: '42', region: 'eu' } }), 'customer=42/eu/');
    assert.throws(() => evaluatePrefix(template, { arrivalMs: AT, partitionKeys: { customer_id: '42' } }), /no partition key 'region'/);
    assert.equal(destinationPrefixes('c=!{partitionKeyFromQuery:c}/', 'e/!{firehose:error-output-type}').partitioned, true);
  });

  it('an evaluated prefix may be 512 characters, not 513', () => {
    assert.equal(evaluatePrefix(parsePrefix('a'.repeat(512)), { arrivalMs: AT }).length, 512);
    assert.throws(() => evaluatePrefix(parsePrefix('a'.repeat(501) + '!{firehose:random-string}/'), { arrivalMs: AT }), /over the limit of 512/);
  });

  it('object names: <stream>-<version>-yyyy-MM-dd-HH-mm-ss-<uuid><extension>', () => {
    assert.equal(objectSuffix('ds', 1, AT, '.gz', '0f8fad5b-d9cb-469f-a165-70867728950e'), 'ds-1-2018-08-27-10-30-05-0f8fad5b-d9cb-469f-a165-70867728950e.gz');
    assert.match(objectSuffix('ds', 3, AT, ''), /^ds-3-2018-08-27-10-30-05-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });
});
