/**
 * @module core/errors — the one registry of hako's coded errors.
 *
 * Every error hako raises on purpose is declared here with a stable code, a message template and the HTTP
 * status an API answers with. Codes are never reused; `docs/errors.md` lists them all and a test keeps the
 * two in step.
 */

export interface ErrorDefinition {
  readonly code: string;
  readonly template: string;
  readonly httpStatus: number;
}

export const errorDefinitions = {
  CONFIG_INVALID: { code: 'HAKO_ERR_CONFIG_INVALID', template: 'invalid configuration: %s', httpStatus: 500 },
  CONFIG_FILE_UNREADABLE: { code: 'HAKO_ERR_CONFIG_FILE_UNREADABLE', template: 'cannot read project file %s: %s', httpStatus: 500 },
  PORT_IN_USE: { code: 'HAKO_ERR_PORT_IN_USE', template: '%s port %s on %s is already in use; choose another with %s', httpStatus: 500 },
  LISTEN_FAILED: { code: 'HAKO_ERR_LISTEN_FAILED', template: 'cannot listen for %s on %s:%s: %s', httpStatus: 500 },
  DATA_DIR_UNUSABLE: { code: 'HAKO_ERR_DATA_DIR_UNUSABLE', template: 'cannot use data directory %s: %s', httpStatus: 500 },
  DATA_DIR_IN_USE: { code: 'HAKO_ERR_DATA_DIR_IN_USE', template: 'data directory %s is in use by %s: stop that hako, or give this one its own with --data-dir or HAKO_DATA_DIR (if no hako is running, delete %s)', httpStatus: 500 },
  STORE_UNSUPPORTED: { code: 'HAKO_ERR_STORE_UNSUPPORTED', template: 'storage backend %s is not supported by this build; use sqlite', httpStatus: 500 },
} as const satisfies Record<string, ErrorDefinition>;

export type ErrorName = keyof typeof errorDefinitions;

function format(template: string, args: readonly unknown[]): string {
  let i = 0;
  return template.replace(/%s/g, () => String(args[i++]));
}

export class HakoError extends Error {
  readonly code: string;
  readonly httpStatus: number;

  constructor(name: ErrorName, args: readonly unknown[] = [], options?: { cause?: unknown }) {
    const definition = errorDefinitions[name];
    super(format(definition.template, args), options);
    this.name = 'HakoError';
    this.code = definition.code;
    this.httpStatus = definition.httpStatus;
  }
}

export function isHakoError(error: unknown, name?: ErrorName): error is HakoError {
  return error instanceof HakoError && (name === undefined || error.code === errorDefinitions[name].code);
}
