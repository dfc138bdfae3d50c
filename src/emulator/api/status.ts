/**
 * Kubernetes `Status` errors. Every failure the emulator answers is one of
 * these, with the code and reason a real kube-apiserver would use, because
 * clients (kubectl, client-go, client-node, our reflector) branch on them.
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

export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: StatusDetails,
    /** Extra response headers, e.g. Retry-After for 429. */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  toStatus(): Record<string, unknown> {
    const status: Record<string, unknown> = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      code: this.code,
    };
    if (this.details) status.details = this.details;
    return status;
  }
}

/** `pods "x" not found` */
export function notFound(resource: string, name: string, group = ''): ApiError {
  const what = group ? `${resource}.${group}` : resource;
  return new ApiError(404, 'NotFound', `${what} "${name}" not found`, { name, group: group || undefined, kind: resource });
}

export function alreadyExists(resource: string, name: string, group = ''): ApiError {
  const what = group ? `${resource}.${group}` : resource;
  return new ApiError(409, 'AlreadyExists', `${what} "${name}" already exists`, { name, group: group || undefined, kind: resource });
}

export function conflict(resource: string, name: string, group = '', why = 'the object has been modified; please apply your changes to the latest version and try again'): ApiError {
  const what = group ? `${resource}.${group}` : resource;
  return new ApiError(409, 'Conflict', `Operation cannot be fulfilled on ${what} "${name}": ${why}`, { name, group: group || undefined, kind: resource });
}

export function badRequest(message: string): ApiError {
  return new ApiError(400, 'BadRequest', message);
}

/** 422 with field causes, as validation failures are reported. */
export function invalid(kind: string, name: string, causes: StatusCause[], group = ''): ApiError {
  const what = group ? `${kind}.${group}` : kind;
  const summary = causes.map((c) => `${c.field ?? ''}: ${c.message ?? ''}`.trim()).join(', ');
  return new ApiError(422, 'Invalid', `${what} "${name}" is invalid: ${summary}`, { name, group: group || undefined, kind, causes });
}

export function expired(message: string): ApiError {
  return new ApiError(410, 'Expired', message);
}

export function forbidden(user: string, verb: string, resource: string, group: string, namespace: string | undefined, name?: string): ApiError {
  const scope = namespace ? ` in the namespace "${namespace}"` : ' at the cluster scope';
  const what = name ? `${resource} "${name}"` : resource;
  return new ApiError(
    403,
    'Forbidden',
    `${what} is forbidden: User "${user}" cannot ${verb} resource "${resource}" in API group "${group}"${scope}`,
    { name, group: group || undefined, kind: resource },
  );
}

export function unauthorized(): ApiError {
  return new ApiError(401, 'Unauthorized', 'Unauthorized');
}

export function methodNotAllowed(): ApiError {
  return new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
}

export function unsupportedMediaType(type: string, accepted = ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json']): ApiError {
  return new ApiError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}; got ${type}`);
}

/**
 * 429. With retryAfterSeconds > 0 the response carries Retry-After, and
 * client-go then retries on its own; without it (as for a blocked eviction)
 * the error reaches the caller, which decides (kubectl drain retries every 5 s).
 */
export function tooManyRequests(message: string, retryAfterSeconds: number, causes?: StatusCause[]): ApiError {
  if (retryAfterSeconds <= 0) return new ApiError(429, 'TooManyRequests', message, causes ? { causes } : undefined);
  return new ApiError(429, 'TooManyRequests', message, { retryAfterSeconds, causes }, { 'Retry-After': String(retryAfterSeconds) });
}

export function internal(message: string): ApiError {
  return new ApiError(500, 'InternalError', `Internal error occurred: ${message}`, { causes: [{ message }] });
}
