import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Http1ResponseReader, type Http1Response } from '../../src/functions/runtime/nodejs/http1-response.js';

/** Feeds `wire` in pieces of `step` bytes; returns every response completed, in order. */
function read(wire: string, step: number, endOfStream = false): Http1Response[] {
  const reader = new Http1ResponseReader();
  const bytes = Buffer.from(wire, 'utf8');
  const responses: Http1Response[] = [];
  for (let at = 0; at < bytes.length; at += step) {
    let response = reader.push(bytes.subarray(at, at + step));
    // A chunk may complete one response and hold the start (or all) of the next.
    while (response !== undefined) {
      responses.push(response);
      response = reader.push(Buffer.alloc(0));
    }
  }
  const last = endOfStream ? reader.end() : undefined;
  if (last !== undefined) responses.push(last);
  return responses;
}

const next = 'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nLambda-Runtime-Aws-Request-Id: 8476a536\r\nContent-Length: 13\r\n\r\n{"key":"val"}';
const accepted = 'HTTP/1.1 202 Accepted\r\ncontent-type: application/json\r\ncontent-length: 15\r\n\r\n{"status":"OK"}';

for (const step of [1, 7, 64, 4096]) {
  test(`Runtime API responses read whole, in ${step}-byte pieces: status, lower-case headers, Content-Length body`, () => {
    const [response] = read(next, step);
    assert.equal(response?.status, 200);
    assert.equal(response?.headers['lambda-runtime-aws-request-id'], '8476a536');
    assert.equal(response?.body.toString(), '{"key":"val"}');
  });

  test(`two responses back to back on one connection, in ${step}-byte pieces`, () => {
    const responses = read(next + accepted, step);
    assert.deepEqual(responses.map((r) => [r.status, r.body.toString()]), [[200, '{"key":"val"}'], [202, '{"status":"OK"}']]);
  });

  test(`a chunked body is reassembled (chunk extensions and trailers skipped), in ${step}-byte pieces`, () => {
    const wire = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\nX-Trailer: t\r\n\r\n' + accepted;
    const responses = read(wire, step);
    assert.deepEqual(responses.map((r) => r.body.toString()), ['hello, world', '{"status":"OK"}']);
  });
}

test('a body without Content-Length or chunking ends with the connection', () => {
  assert.deepEqual(read('HTTP/1.1 200 OK\r\n\r\nall of it', 4, true).map((r) => r.body.toString()), ['all of it']);
  assert.deepEqual(read('HTTP/1.1 204 No Content\r\n\r\n', 4).map((r) => r.status), [204]);
});

test('a connection that ends mid-body completes nothing', () => {
  assert.deepEqual(read(next.slice(0, -3), 8, true), []);
});

test('UTF-8 header values (a client context) are decoded as UTF-8', () => {
  const [response] = read('HTTP/1.1 200 OK\r\nLambda-Runtime-Client-Context: {"name":"箱"}\r\nContent-Length: 0\r\n\r\n', 3);
  assert.equal(response?.headers['lambda-runtime-client-context'], '{"name":"箱"}');
});

test('malformed responses are errors, not guesses', () => {
  const reader = (): Http1ResponseReader => new Http1ResponseReader();
  assert.throws(() => reader().push(Buffer.from('SSH-2.0-OpenSSH\r\n\r\n')), /not an HTTP\/1.1 response/);
  assert.throws(() => reader().push(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 12x\r\n\r\n')), /malformed Content-Length/);
  assert.throws(() => reader().push(Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n')), /malformed chunk size/);
  assert.throws(() => reader().push(Buffer.alloc(1024 * 1024 + 1, 'a')), /head too large/);
});
