/**
 * @module gateway/access-log — a stage's access log line (spec §8.1; AWS "http-api-logging-variables"): the
 * stage's `format` with each `$context.<name>` replaced by its value for the request, `-` when it has none. Values
 * are escaped for a JSON string (quotes and backslashes), so JSON formats stay JSON whatever a client sends. Pure.
 */

export type AccessLogValues = Readonly<Record<string, string | number | undefined>>;

const VARIABLE = /\$context\.([A-Za-z][A-Za-z0-9_.-]*[A-Za-z0-9_])/g;

export function formatAccessLog(format: string, values: AccessLogValues): string {
  return format.replace(VARIABLE, (_whole, name: string) => {
    const value = values[name];
    return value === undefined || value === '' ? '-' : escape(String(value));
  });
}

function escape(text: string): string {
  return JSON.stringify(text).slice(1, -1);
}

/** The log group an access log destination names; undefined for anything but a CloudWatch Logs log group ARN. */
export function logGroupOf(destinationArn: string): string | undefined {
  return /^arn:aws[a-z-]*:logs:[a-z0-9-]+:\d{12}:log-group:([A-Za-z0-9_\-/.#]{1,512})(?::\*)?$/.exec(destinationArn)?.[1];
}
