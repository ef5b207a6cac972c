/**
 * @module test/functions/environment-helpers — function code written to temporary directories, and
 * execution environments over it that the test disposes of.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestContext } from 'node:test';
import { ISOLATION_VARIABLE, startEnvironment, type ExecutionEnvironment, type EnvironmentSpec, type InvocationReport, type InvokeResult, type Isolation } from '../../src/functions/environment.js';

/** Writes `files` (relative path → source) into a fresh directory, removed after the test. */
export function functionCode(t: TestContext, files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'hako-fn-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  for (const [name, source] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), source);
  }
  return dir;
}

let environments = 0;

/** An environment of the given isolation (set through the function variable, as a function sets it). */
export async function environmentFor(t: TestContext, codeDir: string, handler: string, spec: Partial<EnvironmentSpec> & { isolation: Isolation }): Promise<ExecutionEnvironment> {
  const tmpDir = mkdtempSync(path.join(tmpdir(), 'hako-fn-tmp-'));
  const { isolation, ...rest } = spec;
  const environment = await startEnvironment({
    functionName: 'contract-fn',
    version: '$LATEST',
    codeDir,
    handler,
    memoryMB: 256,
    timeoutSeconds: 3,
    region: 'us-east-1',
    tmpDir,
    logStreamName: `2026/12/01/[$LATEST]${String(++environments).padStart(32, '0')}`,
    ...rest,
    variables: { ...rest.variables, ...(isolation === 'thread' ? { [ISOLATION_VARIABLE]: 'thread' } : {}) },
  });
  assert.equal(environment.isolation, isolation);
  t.after(async () => {
    await environment.dispose();
    rmSync(tmpDir, { recursive: true, force: true });
  });
  return environment;
}

let requests = 0;

/** An invocation's answer with its report (log and memory figure) settled. */
export type SettledResult = InvokeResult & InvocationReport;

export async function invoke(environment: ExecutionEnvironment, event: unknown = {}, options: { clientContext?: string } = {}): Promise<SettledResult> {
  const result = await environment.invoke({
    requestId: `req-${++requests}-0000-0000-0000-000000000000`,
    payload: Buffer.from(JSON.stringify(event)),
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:contract-fn',
    ...options,
  });
  return { ...result, ...(await result.report) };
}

/** The result parsed as JSON. */
export function body(result: InvokeResult): Record<string, unknown> {
  return JSON.parse(result.payload.toString()) as Record<string, unknown>;
}
