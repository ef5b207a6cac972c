/**
 * @module rules/actions/lambda — `lambda` (spec §4.6): the SELECT output as the event of an asynchronous
 * invocation (Invoke `Event`: stored, retried and sent to its destinations by the functions' async queue)
 * of `functionArn`, which may name a version or alias. A function takes JSON: a raw-bytes output (a
 * non-JSON payload passed through `SELECT *`) fails, as on AWS — `encode(*, 'base64')` is the way.
 */
import { ActionFailure, type ActionFactory } from './action.js';
import { invalid, requiredString } from './parameters.js';

const ACTION = 'lambda';
const FUNCTION_ARN = /^arn:aws[a-zA-Z-]*:lambda:[a-z0-9-]+:\d{12}:function:[a-zA-Z0-9-_]{1,64}(:(\$LATEST|[a-zA-Z0-9-_]+))?$/;

export const lambda: ActionFactory = (parameters, { services }) => {
  const functionArn = requiredString(parameters, 'functionArn', ACTION);
  if (!FUNCTION_ARN.test(functionArn)) throw invalid(ACTION, `functionArn must be a Lambda function ARN (arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>]), not ${functionArn}`);
  return {
    kind: ACTION,
    resource: functionArn,
    async run({ output, payload }) {
      if (output instanceof Uint8Array) throw new ActionFailure('the rule output is not JSON (a binary payload); a function takes JSON: select encode(*, \'base64\') instead');
      try {
        await services.invokeAsync(functionArn, payload);
      } catch (error) {
        throw new ActionFailure(`invoking ${functionArn} failed: ${(error as Error).message}`, { cause: error });
      }
    },
  };
};
