/**
 * @module shadow/document/errors — the Device Shadow service's error values with AWS's exact texts
 * [spec §3.2; ERR device-shadow-error-messages; GG ErrorMessage.java], and the AWS restJson exception name
 * the HTTPS data plane answers with for each code [spec §3.8].
 *
 * These are wire values published on `…/rejected` topics (`{"code","message",…}`), not hako's internal
 * coded errors (`core/errors.ts`).
 */

import type { ShadowError } from './types.js';

const error = (code: number, message: string): ShadowError => Object.freeze({ code, message });

export const shadowErrors = {
  /** Payload is not JSON, is not a JSON object, or holds a value the service cannot store (null in an array). */
  invalidJson: error(400, 'Invalid JSON'),
  missingState: error(400, 'Missing required node: state'),
  stateNotObject: error(400, 'State node must be an object'),
  desiredNotObject: error(400, 'Desired node must be an object'),
  reportedNotObject: error(400, 'Reported node must be an object'),
  invalidVersion: error(400, 'Invalid version'),
  invalidClientToken: error(400, 'Invalid clientToken'),
  unauthorized: error(401, 'Unauthorized'),
  forbidden: error(403, 'Forbidden'),
  thingNotFound: error(404, 'Thing not found'),
  versionConflict: error(409, 'Version conflict'),
  payloadTooLarge: error(413, 'The payload exceeds the maximum size allowed'),
  unsupportedEncoding: error(415, 'Unsupported documented encoding; supported encoding is UTF-8'),
  /** AWS documents no text for 429; this one is hako's. */
  tooManyRequests: error(429, 'Too Many Requests'),
  internalFailure: error(500, 'Internal service failure'),
} as const;

/** `JSON contains too many levels of nesting; maximum is 6` (the number follows the configured limit). */
export function tooDeepError(maxDepth: number): ShadowError {
  return error(400, `JSON contains too many levels of nesting; maximum is ${maxDepth}`);
}

/** Any key in `state` other than `desired`/`reported`, e.g. `delta` [GH aws-greengrass-shadow-manager#178]. */
export function invalidNodeError(name: string): ShadowError {
  return error(400, `State contains an invalid node: '${name}'`);
}

/**
 * 404 for get/delete of a missing shadow. Classic: `No shadow exists with name: '<thing>'` [J2 capture].
 * Named: `'<thing>~<shadow>'`, as observed in real traffic; an AWS tutorial shows `'<shadow>'` (spec §10).
 */
export function shadowNotFoundError(thingName: string, shadowName?: string): ShadowError {
  const name = shadowName === undefined ? thingName : `${thingName}~${shadowName}`;
  return error(404, `No shadow exists with name: '${name}'`);
}

const REST_EXCEPTIONS: Readonly<Record<number, string>> = {
  400: 'InvalidRequestException',
  401: 'UnauthorizedException',
  403: 'ForbiddenException',
  404: 'ResourceNotFoundException',
  405: 'MethodNotAllowedException',
  409: 'ConflictException',
  413: 'RequestEntityTooLargeException',
  415: 'UnsupportedDocumentEncodingException',
  429: 'ThrottlingException',
  500: 'InternalFailureException',
  503: 'ServiceUnavailableException',
};

/** The `x-amzn-ErrorType` for an error code on the HTTPS data plane; unknown codes map to InternalFailure. */
export function restExceptionName(code: number): string {
  return REST_EXCEPTIONS[code] ?? 'InternalFailureException';
}
