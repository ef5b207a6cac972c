/**
 * @module iam/sigv4/time-window — whether a signature is still (or already) valid at `now`.
 *
 * A signed request may be up to `maxSkewMs` (AWS: 5 minutes) off the server clock either way. A presigned
 * URL with `X-Amz-Expires` is valid from its `X-Amz-Date` for that many seconds instead; one without it
 * (`aws-iot-device-sdk` v1's WSS URL) gets the ordinary skew window. Messages are AWS's own wording.
 */
import { formatAmzDate } from './amz-date.js';
import type { SignatureClaim } from './claim.js';
import { invalidSignature, type VerificationFailure } from './errors.js';

export const DEFAULT_MAX_SKEW_MS = 5 * 60_000;

/** `300000` → `5 min.`, `90000` → `90 sec.` */
function describe(ms: number): string {
  return ms % 60_000 === 0 ? `${ms / 60_000} min.` : `${Math.round(ms / 1000)} sec.`;
}

const at = (ms: number) => formatAmzDate(new Date(ms));

export function checkSigningTime(claim: SignatureClaim, now: Date, maxSkewMs: number): VerificationFailure | undefined {
  const signed = claim.signingDate.getTime();
  const current = now.getTime();
  if (signed > current + maxSkewMs) {
    return invalidSignature(
      `Signature not yet current: ${claim.amzDate} is still later than ${at(current + maxSkewMs)} ` +
        `(${at(current)} + ${describe(maxSkewMs)})`,
    );
  }
  const lifetime = claim.expiresSeconds === undefined ? maxSkewMs : claim.expiresSeconds * 1000;
  if (signed < current - lifetime) {
    return invalidSignature(
      `Signature expired: ${claim.amzDate} is now earlier than ${at(current - lifetime)} ` +
        `(${at(current)} - ${describe(lifetime)})`,
    );
  }
  return undefined;
}
