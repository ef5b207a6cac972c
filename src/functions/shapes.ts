/**
 * @module functions/shapes — the JSON shapes the Lambda API answers with (`FunctionConfiguration`,
 * `GetFunction`'s `Code`), with the lifecycle fields infrastructure tools wait on: `State: Active` and
 * `LastUpdateStatus: Successful` at once, since hako's updates are complete when they are answered
 * (spec §1.7).
 */
import type { FunctionArns } from './names.js';
import { LATEST, type FunctionVersion } from './registry.js';

/** Lambda's `LastModified`: `2024-05-01T12:34:56.789+0000`. */
export function lambdaTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

export function functionConfiguration(name: string, version: FunctionVersion, arns: FunctionArns): Record<string, unknown> {
  return {
    FunctionName: name,
    FunctionArn: arns.function(name, version.version === LATEST ? undefined : version.version),
    Runtime: version.runtime,
    Role: version.role,
    Handler: version.handler,
    CodeSize: version.code.codeSize,
    Description: version.description,
    Timeout: version.timeout,
    MemorySize: version.memorySize,
    LastModified: lambdaTimestamp(version.lastModified),
    CodeSha256: version.code.codeSha256,
    Version: version.version,
    Environment: { Variables: version.variables },
    TracingConfig: { Mode: 'PassThrough' },
    RevisionId: version.revisionId,
    State: 'Active',
    LastUpdateStatus: 'Successful',
    PackageType: 'Zip',
    Architectures: ['x86_64'],
    EphemeralStorage: { Size: 512 },
    SnapStart: { ApplyOn: 'None', OptimizationStatus: 'Off' },
    LoggingConfig: { LogFormat: 'Text', LogGroup: `/aws/lambda/${name}` },
  };
}

/** `GetFunction`'s `Code`: where the package is (hako serves no download; the directory is named). */
export function codeLocation(version: FunctionVersion): Record<string, string> {
  return { RepositoryType: version.code.hotReload ? 'hot-reload' : 'S3', Location: `file://${version.code.directory}` };
}
