/**
 * @module http/apigateway/params — query parameters as API Gateway v1 reads them: `limit` (1–500, 25 by default)
 * and `position` for paging, `true`/`false` flags; lists answered as `{"item": [...], "position": …}` (the model's
 * JSON name for `items`).
 */
import { AwsError } from '../../core/aws-error.js';
import type { ApiRequest } from '../aws-api.js';

export const DEFAULT_LIMIT = 25;
export const MAX_LIMIT = 500;

export interface Paging {
  position: string | undefined;
  limit: number;
  maxLimit: number;
}

export function paging(request: ApiRequest): Paging {
  const { limit, position } = request.query;
  if (limit === undefined) return { position, limit: DEFAULT_LIMIT, maxLimit: MAX_LIMIT };
  const size = Number(limit);
  if (!Number.isInteger(size) || size < 1 || size > MAX_LIMIT) throw new AwsError('BadRequestException', `limit must be a whole number from 1 to ${MAX_LIMIT}`);
  return { position, limit: size, maxLimit: MAX_LIMIT };
}

export function flag(request: ApiRequest, name: string): boolean {
  const value = request.query[name];
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  throw new AwsError('BadRequestException', `${name} must be true or false`);
}

export function listed<T>(items: readonly T[], position: string | undefined, shape: (item: T) => Record<string, unknown>): Record<string, unknown> {
  return { item: items.map(shape), ...(position === undefined ? {} : { position }) };
}
