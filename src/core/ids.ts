/** @module core/ids — identifiers minted by hako (client ids, request ids). */
import { randomBytes, randomUUID } from 'node:crypto';

/** An MQTT client id for clients that connect with an empty one (MQTT 5 Assigned Client Identifier). */
export function newAssignedClientId(): string {
  return `hako-${randomBytes(9).toString('base64url')}`;
}

export function newRequestId(): string {
  return randomUUID();
}

/** A thing id, a policy generation id and the like: AWS uses UUIDs or long hex strings for these. */
export function newResourceId(): string {
  return randomUUID();
}
