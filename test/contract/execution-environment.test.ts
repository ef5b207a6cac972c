/**
 * @module test/contract/execution-environment.test — runs the ExecutionEnvironment contract (handlers and failures)
 * against both kinds of environment: a process of its own over the Runtime API, and a worker thread over its port.
 */
import { describe } from 'node:test';
import { runFailureContract } from './execution-environment-failures.contract.js';
import { runHandlerContract } from './execution-environment-handlers.contract.js';

for (const isolation of ['process', 'thread'] as const) {
  describe(`${isolation} isolation`, () => {
    runHandlerContract(isolation);
    runFailureContract(isolation);
  });
}
