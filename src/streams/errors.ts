/**
 * @module streams/errors — Kinesis's errors. Kinesis answers every error with HTTP 400, including the
 * types other AWS services send with 404 or 410, so every error here is thrown through `kinesisError`.
 */
import { AwsError, constraintMessage, type AwsErrorType } from '../core/aws-error.js';

export type KinesisErrorType =
  | 'InvalidArgumentException'
  | 'ValidationException'
  | 'ResourceNotFoundException'
  | 'ResourceInUseException'
  | 'LimitExceededException'
  | 'ExpiredIteratorException'
  | 'ExpiredNextTokenException'
  | 'ProvisionedThroughputExceededException'
  | 'InternalFailureException';

export function kinesisError(type: KinesisErrorType & AwsErrorType, message: string): AwsError {
  return new AwsError(type, message, { status: type === 'InternalFailureException' ? 500 : 400 });
}

/** AWS's wording for a request field that breaks the API model's constraints. */
export function constraintError(field: string, value: unknown, constraint: string): AwsError {
  return kinesisError('ValidationException', constraintMessage(field, value, constraint));
}

export function streamNotFound(name: string, account: string): AwsError {
  return kinesisError('ResourceNotFoundException', `Stream ${name} under account ${account} not found.`);
}
