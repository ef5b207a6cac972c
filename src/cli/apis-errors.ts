/**
 * @module cli/apis-errors — the API Gateway v2 API's refusals as `hako apis …` explains them: which API, route or
 * stage is missing and the command that shows the ones there are; a conflicting route and how to see the others.
 * The service's own message stays in the line (it names the value to change).
 */
import { CliError } from './client.js';

/** `error` with the CLI's meaning of it, for `what` (e.g. `apis add-route`) on `apiId` (and `stage`, when given). */
export function explained(error: unknown, what: string, apiId: string, stage?: string): unknown {
  if (!(error instanceof CliError)) return error;
  const cause = error.cause as { name?: unknown; ResourceType?: unknown } | undefined;
  if (cause?.name === 'NotFoundException') {
    if (cause.ResourceType === 'Stage') {
      return new CliError(`${what}: API ${apiId} has no stage ${stage ?? ''}`.trimEnd(), `see its stages with hako apis stages ${apiId}, or make one with hako apis create-stage ${apiId} NAME`, { cause: error });
    }
    if (cause.ResourceType === 'Route') return new CliError(error.message, `see its routes with hako apis routes ${apiId}`, { cause: error });
    return new CliError(`${what}: no HTTP API ${apiId}`, 'see the APIs there are with hako apis list', { cause: error });
  }
  if (cause?.name === 'ConflictException' && /[Rr]oute/.test(error.message)) {
    return new CliError(error.message, `see the API's routes with hako apis routes ${apiId}; remove one with hako apis delete-route ${apiId} ROUTE`, { cause: error });
  }
  if (cause?.name === 'ConflictException' && stage !== undefined) return new CliError(error.message, `see its stages with hako apis stages ${apiId}`, { cause: error });
  return error;
}
