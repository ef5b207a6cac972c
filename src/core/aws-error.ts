/**
 * @module core/aws-error — the errors hako's AWS-compatible APIs answer with.
 *
 * AWS APIs name their errors by exception type and HTTP status; SDK clients turn the type into the
 * error's `name`, so these names are part of the compatibility surface and are spelled exactly as AWS
 * spells them. Services throw `AwsError`; only `src/http/` turns one into a response.
 */

/** Exception types and the status each one travels with (AWS IoT and IoT Data Plane API references). */
export const awsErrorStatus = {
  InvalidRequestException: 400,
  MalformedPolicyException: 400,
  CertificateValidationException: 400,
  RegistrationCodeValidationException: 400,
  UnauthorizedException: 401,
  MissingAuthenticationTokenException: 403,
  IncompleteSignatureException: 403,
  InvalidSignatureException: 403,
  UnrecognizedClientException: 403,
  AccessDeniedException: 403,
  ForbiddenException: 403,
  ResourceNotFoundException: 404,
  MethodNotAllowedException: 405,
  CertificateStateException: 406,
  ResourceAlreadyExistsException: 409,
  DeleteConflictException: 409,
  VersionConflictException: 409,
  VersionsLimitExceededException: 409,
  CertificateConflictException: 409,
  ConflictException: 409,
  LimitExceededException: 410,
  RequestEntityTooLargeException: 413,
  UnsupportedDocumentEncodingException: 415,
  ThrottlingException: 429,
  InternalFailureException: 500,
  ServiceUnavailableException: 503,
} as const;

export type AwsErrorType = keyof typeof awsErrorStatus;

export class AwsError extends Error {
  readonly type: AwsErrorType;
  readonly status: number;

  constructor(type: AwsErrorType, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = type;
    this.type = type;
    this.status = awsErrorStatus[type];
  }
}
