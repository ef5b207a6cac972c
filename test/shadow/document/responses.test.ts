/** @module test/shadow/document/responses — payload builders: exact JSON (key order), token echo, errors and REST names. */

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  buildDeleteAccepted,
  buildDeleteRejected,
  buildErrorResponse,
  buildGetAccepted,
  buildGetRejected,
  buildUpdateAccepted,
  buildUpdateDelta,
  buildUpdateDocuments,
  buildUpdateRejected,
  restExceptionName,
  shadowErrors,
  shadowNotFoundError,
  type ShadowDocument,
} from '../../../src/shadow/document/index.js';

const NOW = 1736882961;
const ts = (timestamp: number) => ({ timestamp });
const DOC: ShadowDocument = {
  // stored reported-first on purpose: responses still write desired first
  state: { reported: { Color: 'green' }, desired: { Color: 'red' } },
  metadata: { reported: { Color: ts(1) }, desired: { Color: ts(2) } },
  version: 3,
  timestamp: 2,
};

/** [note, payload, exact JSON] */
const EXACT: [string, unknown, string][] = [
  [
    'update/accepted with token',
    buildUpdateAccepted({ state: { reported: { a: 1 } }, metadata: { reported: { a: ts(NOW) } } }, 4, { nowSeconds: NOW, clientToken: 't' }),
    `{"state":{"reported":{"a":1}},"metadata":{"reported":{"a":{"timestamp":${NOW}}}},"version":4,"timestamp":${NOW},"clientToken":"t"}`,
  ],
  [
    'update/accepted without token has no clientToken key',
    buildUpdateAccepted({ state: null, metadata: ts(NOW) }, 4, { nowSeconds: NOW }),
    `{"state":null,"metadata":{"timestamp":${NOW}},"version":4,"timestamp":${NOW}}`,
  ],
  [
    'update/delta',
    buildUpdateDelta({ state: { Color: 'red' }, metadata: { Color: ts(2) } }, 3, { nowSeconds: NOW, clientToken: 't' }),
    `{"version":3,"timestamp":${NOW},"state":{"Color":"red"},"metadata":{"Color":{"timestamp":2}},"clientToken":"t"}`,
  ],
  [
    'update/documents on creation: no previous',
    buildUpdateDocuments(undefined, DOC, { nowSeconds: NOW }),
    `{"current":{"state":{"desired":{"Color":"red"},"reported":{"Color":"green"}},"metadata":{"desired":{"Color":{"timestamp":2}},"reported":{"Color":{"timestamp":1}}},"version":3},"timestamp":${NOW}}`,
  ],
  [
    'update/documents with previous and token',
    buildUpdateDocuments({ state: {}, metadata: {}, version: 2 }, DOC, { nowSeconds: NOW, clientToken: 't' }),
    `{"previous":{"state":{},"metadata":{},"version":2},"current":{"state":{"desired":{"Color":"red"},"reported":{"Color":"green"}},"metadata":{"desired":{"Color":{"timestamp":2}},"reported":{"Color":{"timestamp":1}}},"version":3},"timestamp":${NOW},"clientToken":"t"}`,
  ],
  [
    'get/accepted with a delta',
    buildGetAccepted(DOC, { nowSeconds: NOW, clientToken: 't' }),
    `{"state":{"desired":{"Color":"red"},"reported":{"Color":"green"},"delta":{"Color":"red"}},"metadata":{"desired":{"Color":{"timestamp":2}},"reported":{"Color":{"timestamp":1}},"delta":{"Color":{"timestamp":2}}},"version":3,"timestamp":${NOW},"clientToken":"t"}`,
  ],
  [
    'get/accepted without a delta',
    buildGetAccepted({ state: { reported: { a: 1 } }, metadata: { reported: { a: ts(1) } }, version: 1 }, { nowSeconds: NOW }),
    `{"state":{"reported":{"a":1}},"metadata":{"reported":{"a":{"timestamp":1}}},"version":1,"timestamp":${NOW}}`,
  ],
  ['get/accepted of a cleared shadow', buildGetAccepted({ state: {}, metadata: {}, version: 5 }, { nowSeconds: NOW }), `{"state":{},"metadata":{},"version":5,"timestamp":${NOW}}`],
  ['delete/accepted', buildDeleteAccepted(17, { nowSeconds: NOW, clientToken: 't' }), `{"version":17,"timestamp":${NOW},"clientToken":"t"}`],
  ['error without timestamp or token', buildErrorResponse(shadowErrors.versionConflict), '{"code":409,"message":"Version conflict"}'],
  ['error with token', buildErrorResponse(shadowErrors.missingState, { clientToken: 't' }), '{"code":400,"message":"Missing required node: state","clientToken":"t"}'],
  [
    'error with timestamp and token (DG error document)',
    buildErrorResponse(shadowErrors.invalidJson, { clientToken: 't', timestamp: NOW }),
    `{"code":400,"message":"Invalid JSON","timestamp":${NOW},"clientToken":"t"}`,
  ],
];

describe('response builders produce the exact JSON', () => {
  for (const [note, payload, expected] of EXACT) test(note, () => assert.equal(JSON.stringify(payload), expected));

  test('update/get/delete rejected share the error document', () => {
    for (const build of [buildUpdateRejected, buildGetRejected, buildDeleteRejected]) {
      assert.deepEqual(build(shadowErrors.forbidden, { clientToken: 'x' }), { code: 403, message: 'Forbidden', clientToken: 'x' });
    }
  });
});

/** [error, code, message] — every AWS text in the catalogue */
const CATALOGUE: [keyof typeof shadowErrors, number, string][] = [
  ['invalidJson', 400, 'Invalid JSON'],
  ['missingState', 400, 'Missing required node: state'],
  ['stateNotObject', 400, 'State node must be an object'],
  ['desiredNotObject', 400, 'Desired node must be an object'],
  ['reportedNotObject', 400, 'Reported node must be an object'],
  ['invalidVersion', 400, 'Invalid version'],
  ['invalidClientToken', 400, 'Invalid clientToken'],
  ['unauthorized', 401, 'Unauthorized'],
  ['forbidden', 403, 'Forbidden'],
  ['thingNotFound', 404, 'Thing not found'],
  ['versionConflict', 409, 'Version conflict'],
  ['payloadTooLarge', 413, 'The payload exceeds the maximum size allowed'],
  ['unsupportedEncoding', 415, 'Unsupported documented encoding; supported encoding is UTF-8'],
  ['internalFailure', 500, 'Internal service failure'],
];

describe('error catalogue', () => {
  for (const [name, code, message] of CATALOGUE) {
    test(`${name}: ${code} ${message}`, () => assert.deepEqual({ ...shadowErrors[name] }, { code, message }));
  }

  test('404 names the classic shadow by thing, a named one as thing~shadow', () => {
    assert.deepEqual(shadowNotFoundError('lamp'), { code: 404, message: "No shadow exists with name: 'lamp'" });
    assert.deepEqual(shadowNotFoundError('blevk-prod-grootbot-thing', 'GrootShadow'), {
      code: 404,
      message: "No shadow exists with name: 'blevk-prod-grootbot-thing~GrootShadow'",
    });
  });

  /** [code, x-amzn-ErrorType] */
  const REST: [number, string][] = [
    [400, 'InvalidRequestException'],
    [401, 'UnauthorizedException'],
    [403, 'ForbiddenException'],
    [404, 'ResourceNotFoundException'],
    [405, 'MethodNotAllowedException'],
    [409, 'ConflictException'],
    [413, 'RequestEntityTooLargeException'],
    [415, 'UnsupportedDocumentEncodingException'],
    [429, 'ThrottlingException'],
    [500, 'InternalFailureException'],
    [503, 'ServiceUnavailableException'],
    [418, 'InternalFailureException'],
  ];
  for (const [code, name] of REST) test(`REST ${code} → ${name}`, () => assert.equal(restExceptionName(code), name));
});
