/**
 * @module functions/runtime/nodejs/errors — how the Node.js runtime reports a failure (spec §1.3, as the
 * official runtime interface client serializes it): an Error becomes `{errorType: name, errorMessage,
 * trace: stack lines}`; anything else thrown becomes `{errorType: typeof value, errorMessage: String(value),
 * trace: []}`. Failures of the runtime itself carry a `Runtime.` type.
 */

export interface RuntimeErrorBody {
  errorType: string;
  errorMessage: string;
  trace: string[];
}

/** A failure the runtime names itself (`Runtime.ImportModuleError`, …), reported with that type. */
export class RuntimeFailure extends Error {
  constructor(
    readonly errorType: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = errorType;
  }
}

export function toErrorBody(value: unknown): RuntimeErrorBody {
  if (value instanceof RuntimeFailure) return { errorType: value.errorType, errorMessage: value.message, trace: traceOf(value.cause instanceof Error ? value.cause : value) };
  if (isErrorLike(value)) return { errorType: value.name, errorMessage: value.message, trace: traceOf(value) };
  return { errorType: typeof value, errorMessage: String(value), trace: [] };
}

function isErrorLike(value: unknown): value is Error {
  return value instanceof Error || (typeof value === 'object' && value !== null && typeof (value as Error).name === 'string' && typeof (value as Error).message === 'string');
}

function traceOf(error: Error): string[] {
  return typeof error.stack === 'string' ? error.stack.split('\n') : [];
}
