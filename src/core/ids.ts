/** @module core/ids — identifiers minted by hako (client ids, request ids). */
import { randomBytes, randomFillSync, randomUUID } from 'node:crypto';

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

/**
 * Random bytes spelt as text, drawn from a pool refilled 4 KiB at a time (as `randomUUID` does): for ids minted per
 * request, where a `randomBytes` call each (a system call) cost 10–40 µs on the bench machine and a slice of the pool
 * under 2 (bench/RESULTS.md, API gateway).
 */
export function randomText(bytes: number, encoding: 'hex' | 'base64'): string {
  if (poolOffset + bytes > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  poolOffset += bytes;
  return pool.toString(encoding, poolOffset - bytes, poolOffset);
}

const pool = Buffer.alloc(4096);
let poolOffset = pool.length;
