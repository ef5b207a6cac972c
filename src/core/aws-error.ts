/**
 * @module core/aws-error — the errors hako's AWS-compatible APIs answer with.
 *
 * AWS APIs name their errors by exception type and HTTP status; SDK clients turn the type into the
 * error's `name`, so these names are part of the compatibility surface and are spelled exactly as AWS
 * spells them. Services throw `AwsError`; only `src/http/` turns one into a response.
 */

/**
 * Exception types and the status each one usually travels with (AWS IoT, IoT Data Plane and Lambda API
 * references). A service that sends a shared type with another status (Kinesis answers every error with
 * 400, ResourceNotFoundException included) passes `status` when it throws.
 */
export const awsErrorStatus = {
  InvalidRequestException: 400,
  BadRequestException: 400,
  MalformedPolicyException: 400,
  CertificateValidationException: 400,
  RegistrationCodeValidationException: 400,
  InvalidParameterValueException: 400,
  InvalidRequestContentException: 400,
  ValidationException: 400,
  InvalidArgumentException: 400,
  ExpiredIteratorException: 400,
  ExpiredNextTokenException: 400,
  ProvisionedThroughputExceededException: 400,
  ResourceInUseException: 400,
  SqlParseException: 400,
  UnauthorizedException: 401,
  MissingAuthenticationTokenException: 403,
  IncompleteSignatureException: 403,
  InvalidSignatureException: 403,
  UnrecognizedClientException: 403,
  AccessDeniedException: 403,
  ForbiddenException: 403,
  ResourceNotFoundException: 404,
  NotFoundException: 404,
  MethodNotAllowedException: 405,
  CertificateStateException: 406,
  ResourceAlreadyExistsException: 409,
  DeleteConflictException: 409,
  VersionConflictException: 409,
  VersionsLimitExceededException: 409,
  CertificateConflictException: 409,
  ConflictException: 409,
  ResourceConflictException: 409,
  PreconditionFailedException: 412,
  LimitExceededException: 410,
  RequestEntityTooLargeException: 413,
  RequestTooLargeException: 413,
  UnsupportedMediaTypeException: 415,
  UnsupportedDocumentEncodingException: 415,
  ThrottlingException: 429,
  TooManyRequestsException: 429,
  InternalFailureException: 500,
  ServiceException: 500,
  ServiceUnavailableException: 503,
} as const;

export type AwsErrorType = keyof typeof awsErrorStatus;

export class AwsError extends Error {
  readonly type: AwsErrorType;
  readonly status: number;
  /** More fields of the error body, e.g. Lambda's `{"Type": "User", "Reason": …}`. */
  readonly fields: Readonly<Record<string, string>>;

  constructor(type: AwsErrorType, message: string, options?: { cause?: unknown; fields?: Record<string, string>; status?: number }) {
    super(message, options);
    this.name = type;
    this.type = type;
    this.status = options?.status ?? awsErrorStatus[type];
    this.fields = options?.fields ?? {};
  }
}

/**
 * AWS's wording for a request field that breaks its API model's constraints, as the JSON 1.1 services
 * (Kinesis, Firehose) send it: `Value null` for a missing field, the value quoted otherwise.
 */
export function constraintMessage(field: string, value: unknown, constraint: string): string {
  const shown = value === null ? 'null' : `'${typeof value === 'string' ? value : JSON.stringify(value)}'`;
  return `1 validation error detected: Value ${shown} at '${field}' failed to satisfy constraint: ${constraint}`;
}
