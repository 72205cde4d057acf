import { qualifiedResource, type ResourceType } from './resources.js';

/** A metav1.Status cause, as the API server lists them under details.causes. */
export interface StatusCause {
  reason: string;
  message: string;
  field?: string;
}

export interface StatusBody {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message: string;
  reason: string;
  details?: { name?: string; group?: string; kind?: string; uid?: string; causes?: StatusCause[]; retryAfterSeconds?: number };
  code: number;
}

/** An API failure with the metav1.Status body the real server writes for it. */
export class ApiError extends Error {
  constructor(readonly code: number, readonly reason: string, message: string, readonly details?: StatusBody['details']) {
    super(message);
  }

  toStatus(): StatusBody {
    return {
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: this.message, reason: this.reason,
      ...(this.details ? { details: this.details } : {}), code: this.code,
    };
  }
}

const details = (type: ResourceType, name: string) => ({ name, ...(type.group ? { group: type.group } : {}), kind: type.plural });

export const notFound = (type: ResourceType, name: string): ApiError =>
  new ApiError(404, 'NotFound', `${qualifiedResource(type)} "${name}" not found`, details(type, name));

export const namespaceNotFound = (namespace: string): ApiError =>
  new ApiError(404, 'NotFound', `namespaces "${namespace}" not found`, { name: namespace, kind: 'namespaces' });

export const alreadyExists = (type: ResourceType, name: string): ApiError =>
  new ApiError(409, 'AlreadyExists', `${qualifiedResource(type)} "${name}" already exists`, details(type, name));

export const conflict = (type: ResourceType, name: string, why = 'the object has been modified; please apply your changes to the latest version and try again'): ApiError =>
  new ApiError(409, 'Conflict', `Operation cannot be fulfilled on ${qualifiedResource(type)} "${name}": ${why}`, details(type, name));

export const invalid = (type: ResourceType, name: string, causes: StatusCause[], prefix = ''): ApiError => {
  const kindGroup = type.group ? `${type.kind}.${type.group}` : type.kind;
  const summary = causes.map((c) => (c.field ? `${c.field}: ${c.message}` : c.message)).join(', ');
  return new ApiError(422, 'Invalid', `${prefix}${kindGroup} "${name}" is invalid: ${summary}`, {
    name, ...(type.group ? { group: type.group } : {}), kind: type.kind, causes,
  });
};

export const badRequest = (message: string): ApiError => new ApiError(400, 'BadRequest', message);

export const unsupportedMediaType = (accepted: string[]): ApiError =>
  new ApiError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`);

export const methodNotAllowed = (): ApiError => new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');

export const expired = (message: string): ApiError => new ApiError(410, 'Expired', message);

export const pathNotFound = (): ApiError => new ApiError(404, 'NotFound', 'the server could not find the requested resource');

export const unauthorized = (): ApiError => new ApiError(401, 'Unauthorized', 'Unauthorized');
