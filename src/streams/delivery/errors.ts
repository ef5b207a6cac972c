/**
 * @module streams/delivery/errors — Firehose's errors. Firehose's client errors all travel with HTTP 400
 * (ResourceNotFoundException included, unlike IoT's 404); ServiceUnavailableException with 503.
 */
import { AwsError, constraintMessage } from '../../core/aws-error.js';

export type FirehoseErrorType =
  | 'InvalidArgumentException'
  | 'ValidationException'
  | 'ResourceNotFoundException'
  | 'ResourceInUseException'
  | 'LimitExceededException'
  | 'ServiceUnavailableException';

export function firehoseError(type: FirehoseErrorType, message: string): AwsError {
  return new AwsError(type, message, { status: type === 'ServiceUnavailableException' ? 503 : 400 });
}

/** AWS's wording for a request field that breaks the API model's constraints. */
export function firehoseConstraint(field: string, value: unknown, constraint: string): AwsError {
  return firehoseError('ValidationException', constraintMessage(field, value, constraint));
}

export function deliveryStreamNotFound(name: string, account: string): AwsError {
  return firehoseError('ResourceNotFoundException', `Firehose ${name} under account ${account} not found.`);
}
