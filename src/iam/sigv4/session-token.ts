/**
 * @module iam/sigv4/session-token — `X-Amz-Security-Token`, which temporary credentials add to a signed
 * request: a header, or a query parameter in a presigned URL (where IoT device SDKs append it after
 * signing, see verify.ts).
 */
import { headerValue, type HeaderMap } from './headers.js';

export function sessionTokenOf(headers: HeaderMap, rawQuery: string): string | undefined {
  const header = headerValue(headers, 'x-amz-security-token');
  if (header !== undefined) return header;
  const match = /(?:^|&)X-Amz-Security-Token=([^&]*)/.exec(rawQuery);
  if (match === null) return undefined;
  try {
    return decodeURIComponent(match[1] as string);
  } catch {
    return undefined;
  }
}
