/**
 * @module test/cli/functions.test — `hako functions …` run as a real child process against a real hako:
 * deploy a directory (create, then update), invoke (result, function error → exit 1, --async), logs and
 * logs --follow, publish, alias, concurrency, list; checked through the Lambda SDK as well.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { GetAliasCommand, GetFunctionConcurrencyCommand, GetFunctionConfigurationCommand, InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { cliEntry, cliFails, cliJson, cliOk, runCli, tempDir } from '../helpers/cli.js';
import { hakoForFile, type TestHako } from '../helpers/hako.js';
import { lambdaClient } from '../helpers/lambda.js';

let hako: TestHako;
let lambda: LambdaClient;
hakoForFile(lambdaClient, (started) => {
  ({ hako, client: lambda } = started);
});

const at = (cwd: string) => ({ cwd, env: { HAKO_DATA_DIR: hako.dataDir } });

function project(dir: string, source: string): string {
  const code = path.join(dir, 'fn');
  mkdirSync(path.join(code, 'lib'), { recursive: true });
  writeFileSync(path.join(code, 'index.mjs'), source);
  writeFileSync(path.join(code, 'lib', 'greeting.mjs'), 'export const greeting = "hello";');
  return code;
}

test('functions deploy creates, then updates; invoke prints the result; a function error exits 1', async (t) => {
  const cwd = tempDir(t);
  const code = project(cwd, 'import { greeting } from "./lib/greeting.mjs";\nexport const handler = async (e) => { if (e.fail) throw new Error("bad " + e.fail); return { greeting, to: e.name, mode: process.env.MODE }; };');
  const created = await cliOk(['functions', 'deploy', code, '--name', 'cli-fn', '--memory', '256', '--env', 'MODE=first'], at(cwd));
  assert.match(created, /^created function cli-fn\n  arn      arn:aws:lambda:us-east-1:000000000000:function:cli-fn\n  runtime  nodejs20\.x  handler index\.handler  memory 256 MB  timeout 3 s\n/);
  assert.deepEqual(JSON.parse(await cliOk(['functions', 'invoke', 'cli-fn', '--payload', '{"name":"pi"}'], at(cwd))), { greeting: 'hello', to: 'pi', mode: 'first' });

  writeFileSync(path.join(code, 'lib', 'greeting.mjs'), 'export const greeting = "hi again";');
  const updated = await cliJson<{ CodeSha256: string; Environment: { Variables: Record<string, string> } }>(['functions', 'deploy', code, '--name', 'cli-fn', '--env', 'MODE=second'], at(cwd));
  assert.deepEqual(updated.Environment.Variables, { MODE: 'second' });
  const configuration = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'cli-fn' }));
  assert.equal(configuration.CodeSha256, updated.CodeSha256);
  assert.equal(configuration.MemorySize, 256, 'settings not given are kept');
  assert.deepEqual(JSON.parse(await cliOk(['functions', 'invoke', 'cli-fn', '--payload', '{"name":"pi"}'], at(cwd))), { greeting: 'hi again', to: 'pi', mode: 'second' });

  const failed = await runCli(['functions', 'invoke', 'cli-fn', '--payload', '{"fail":"input"}', '--log'], at(cwd));
  assert.equal(failed.code, 1);
  assert.equal((JSON.parse(failed.stdout) as { errorMessage: string }).errorMessage, 'bad input');
  assert.match(failed.stderr, /^START RequestId: \S+ Version: \$LATEST$/m, '--log prints the invocation log on stderr');
  const queued = await cliOk(['functions', 'invoke', 'cli-fn', '--async'], at(cwd));
  assert.match(queued, /^queued \(request id [0-9a-f-]{36}\)\n$/);
  assert.match(await cliOk(['functions', 'list'], at(cwd)), /^cli-fn +nodejs20\.x +index\.handler +256 MB/m);
});

test('functions logs prints recent invocations; --follow prints the next one as it ends', async (t) => {
  const cwd = tempDir(t);
  await cliOk(['functions', 'deploy', project(cwd, 'export const handler = async (e) => { console.log("seen", e.n); return e.n; };'), '--name', 'cli-logs'], at(cwd));
  await lambda.send(new InvokeCommand({ FunctionName: 'cli-logs', Payload: Buffer.from('{"n":1}') }));
  const logs = await cliOk(['functions', 'logs', 'cli-logs'], at(cwd));
  assert.match(logs, /START RequestId: \S+ Version: \$LATEST\n.*\tINFO\tseen 1\nEND RequestId: \S+\nREPORT RequestId: /s);

  const follower = spawn(process.execPath, [cliEntry, 'functions', 'logs', 'cli-logs', '--follow'], { cwd, env: { ...process.env, HAKO_DATA_DIR: hako.dataDir }, stdio: ['ignore', 'pipe', 'pipe'] });
  t.after(() => follower.kill('SIGKILL'));
  let output = '';
  const seen = (pattern: RegExp): Promise<void> =>
    new Promise((resolve) => {
      const check = (): void => {
        if (!pattern.test(output)) return;
        follower.stdout.off('data', onData);
        resolve();
      };
      const onData = (chunk: Buffer): void => {
        output += chunk.toString();
        check();
      };
      follower.stdout.on('data', onData);
      check();
    });
  await seen(/\tINFO\tseen 1\n/); // the history first
  await lambda.send(new InvokeCommand({ FunctionName: 'cli-logs', Payload: Buffer.from('{"n":2}') }));
  await seen(/\tINFO\tseen 2\n[\s\S]*REPORT RequestId/);
});

test('functions publish, alias (create, then move with a weight) and concurrency; errors name what to do', async (t) => {
  const cwd = tempDir(t);
  const code = project(cwd, 'export const handler = async () => 1;');
  await cliOk(['functions', 'deploy', code, '--name', 'cli-versions', '--publish'], at(cwd));
  assert.equal(await cliOk(['functions', 'publish', 'cli-versions'], at(cwd)), 'published cli-versions version 1\n', 'unchanged: the same version');
  writeFileSync(path.join(code, 'index.mjs'), 'export const handler = async () => 2;');
  await cliOk(['functions', 'deploy', code, '--name', 'cli-versions'], at(cwd));
  assert.equal(await cliOk(['functions', 'publish', 'cli-versions', '--description', 'two'], at(cwd)), 'published cli-versions version 2\n');
  assert.equal(await cliOk(['functions', 'alias', 'cli-versions', 'live', '1'], at(cwd)), 'cli-versions:live → version 1\n');
  assert.equal(await cliOk(['functions', 'alias', 'cli-versions', 'live', '2', '--weight', '1=0.25'], at(cwd)), 'cli-versions:live → version 2 (1=0.25)\n');
  const alias = await lambda.send(new GetAliasCommand({ FunctionName: 'cli-versions', Name: 'live' }));
  assert.deepEqual([alias.FunctionVersion, alias.RoutingConfig?.AdditionalVersionWeights], ['2', { '1': 0.25 }]);

  assert.equal(await cliOk(['functions', 'concurrency', 'cli-versions', '3'], at(cwd)), 'cli-versions: 3 reserved concurrent executions\n');
  assert.equal((await lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: 'cli-versions' }))).ReservedConcurrentExecutions, 3);
  assert.equal(await cliOk(['functions', 'concurrency', 'cli-versions', '--delete'], at(cwd)), 'cli-versions: no reserved concurrency\n');

  const [missing] = await cliFails(['functions', 'invoke', 'no-such-fn'], 1, at(cwd));
  assert.match(missing ?? '', /^hako: functions invoke: Invoke: ResourceNotFoundException: Function not found: arn:aws:lambda:us-east-1:000000000000:function:no-such-fn/);
  const [notDir] = await cliFails(['functions', 'deploy', path.join(cwd, 'nowhere'), '--name', 'x'], 1, at(cwd));
  assert.match(notDir ?? '', /^hako: functions deploy: .*nowhere: ENOENT$/);
});
