/**
 * `metav1.Status` bodies exactly as a real API server writes them, so that
 * clients (and their error handling) see what a cluster would send.
 */

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface KubeStatus {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, unknown>;
  status: 'Failure' | 'Success';
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code: number;
}

/** An error that carries the Status the server answers with. */
export class KubeError extends Error {
  readonly status: KubeStatus;

  constructor(
    code: number,
    reason: string,
    message: string,
    details?: StatusDetails,
  ) {
    super(message);
    this.name = 'KubeError';
    this.status = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message,
      reason,
      ...(details ? { details } : {}),
      code,
    };
  }

  get code(): number {
    return this.status.code;
  }
}

/** `workspaces.kaito.sh`, `pods` (core group has no suffix). */
export function qualifiedResource(group: string, plural: string): string {
  return group ? `${plural}.${group}` : plural;
}

export function notFound(
  group: string,
  plural: string,
  name: string,
): KubeError {
  return new KubeError(
    404,
    'NotFound',
    `${qualifiedResource(group, plural)} "${name}" not found`,
    {
      name,
      ...(group ? { group } : {}),
      kind: plural,
    },
  );
}

/** The answer for paths that match no served resource. */
export function unknownPath(): KubeError {
  return new KubeError(
    404,
    'NotFound',
    'the server could not find the requested resource',
    {},
  );
}

export function alreadyExists(
  group: string,
  plural: string,
  name: string,
): KubeError {
  return new KubeError(
    409,
    'AlreadyExists',
    `${qualifiedResource(group, plural)} "${name}" already exists`,
    { name, ...(group ? { group } : {}), kind: plural },
  );
}

export function conflict(
  group: string,
  plural: string,
  name: string,
  why: string,
): KubeError {
  return new KubeError(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualifiedResource(
      group,
      plural,
    )} "${name}": ${why}`,
    { name, ...(group ? { group } : {}), kind: plural },
  );
}

export const STALE_OBJECT_MESSAGE =
  'the object has been modified; please apply your changes to the latest version and try again';

export function badRequest(message: string): KubeError {
  return new KubeError(400, 'BadRequest', message);
}

export function methodNotAllowed(): KubeError {
  return new KubeError(
    405,
    'MethodNotAllowed',
    'the server does not allow this method on the requested resource',
    {},
  );
}

export function unauthorized(): KubeError {
  return new KubeError(401, 'Unauthorized', 'Unauthorized');
}

export function unsupportedMediaType(accepted: string[]): KubeError {
  return new KubeError(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: ${accepted.join(
      ', ',
    )}`,
  );
}

export function tooLarge(limit: number): KubeError {
  return new KubeError(
    413,
    'RequestEntityTooLarge',
    `Request entity too large: limit is ${limit}`,
  );
}

export function gone(message: string): KubeError {
  return new KubeError(410, 'Expired', message);
}

export function serviceUnavailable(message: string): KubeError {
  return new KubeError(503, 'ServiceUnavailable', message);
}

export function internalError(message: string): KubeError {
  return new KubeError(
    500,
    'InternalError',
    `Internal error occurred: ${message}`,
    {
      causes: [{ message }],
    },
  );
}

/** One field problem, as `field.ErrorList` renders it. */
export interface FieldIssue {
  field: string;
  /** `FieldValueInvalid`, `FieldValueRequired`, `FieldValueNotSupported`, `FieldValueForbidden`, … */
  type?: string;
  message: string;
}

/**
 * 422 Invalid: `<Kind>.<group> "<name>" is invalid: <field>: <message>`;
 * several issues are wrapped in brackets and joined with ", " like Go's
 * `utilerrors.NewAggregate`.
 */
export function invalid(
  kind: string,
  group: string,
  name: string,
  issues: FieldIssue[],
): KubeError {
  const parts = issues.map(i =>
    i.field ? `${i.field}: ${i.message}` : i.message,
  );
  const summary = parts.length === 1 ? parts[0] : `[${parts.join(', ')}]`;
  const qualifiedKind = group ? `${kind}.${group}` : kind;
  return new KubeError(
    422,
    'Invalid',
    `${qualifiedKind} "${name}" is invalid: ${summary}`,
    {
      name,
      ...(group ? { group } : {}),
      kind,
      causes: issues.map(i => ({
        reason: i.type ?? 'FieldValueInvalid',
        message: i.message,
        field: i.field,
      })),
    },
  );
}

export function successStatus(
  details: StatusDetails,
): Omit<KubeStatus, 'code'> & { code?: number } {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Success',
    details,
  };
}

/** Turns anything thrown into a Status; unexpected errors become 500s without stack traces. */
export function toKubeError(err: unknown): KubeError {
  if (err instanceof KubeError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return internalError(message);
}
