import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatAmzDate, parseAmzDate, parseHttpDate } from '../../../src/iam/sigv4/amz-date.js';
import { parseRawQuery } from '../../../src/iam/sigv4/query.js';
import { splitRequestTarget } from '../../../src/iam/sigv4/index.js';

test('parseRawQuery: decoded multi-map with repeated keys in order, empty and bare values, literal +', () => {
  const query = parseRawQuery('b=2&a=1&b=1&empty=&bare&sp=%20x+y&enc=%E6%B8%A9&&bad=%zz&eq=a=b');
  assert.deepEqual({ ...query }, { b: ['2', '1'], a: '1', empty: '', bare: '', sp: ' x+y', enc: '温', bad: '%zz', eq: 'a=b' });
  assert.deepEqual({ ...parseRawQuery('') }, {});
});

test('parseRawQuery: __proto__ is an ordinary key', () => {
  const query = parseRawQuery('__proto__=x&constructor=y');
  assert.equal(Object.getPrototypeOf(query), null);
  assert.equal(query['__proto__'], 'x');
  assert.equal(query['constructor'], 'y');
});

test('parseAmzDate: strict ISO-8601 basic, real instants only', () => {
  assert.equal(parseAmzDate('20150830T123600Z')?.toISOString(), '2015-08-30T12:36:00.000Z');
  for (const bad of ['2015-08-30T12:36:00Z', '20150830T123600', '20150230T123600Z', '20150830T246000Z', ' 20150830T123600Z']) {
    assert.equal(parseAmzDate(bad), undefined, bad);
  }
  assert.equal(formatAmzDate(new Date('2024-02-29T23:59:59.999Z')), '20240229T235959Z');
});

test('parseHttpDate: IMF-fixdate or ISO-8601 basic', () => {
  assert.equal(parseHttpDate('Mon, 09 Sep 2011 23:36:00 GMT')?.toISOString(), '2011-09-09T23:36:00.000Z');
  assert.equal(parseHttpDate('20110909T233600Z')?.toISOString(), '2011-09-09T23:36:00.000Z');
  assert.equal(parseHttpDate('yesterday'), undefined);
  assert.equal(parseHttpDate('2011-09-09'), undefined);
});

test('splitRequestTarget: origin-form and absolute-form', () => {
  assert.deepEqual(splitRequestTarget('/a%20b?x=1&y'), { path: '/a%20b', rawQuery: 'x=1&y' });
  assert.deepEqual(splitRequestTarget('/mqtt'), { path: '/mqtt', rawQuery: '' });
  assert.deepEqual(splitRequestTarget('http://h:8080/p?q'), { path: '/p', rawQuery: 'q' });
  assert.deepEqual(splitRequestTarget('http://h:8080?q'), { path: '/', rawQuery: 'q' });
});
