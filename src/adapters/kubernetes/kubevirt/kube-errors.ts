import { ApiException } from '@kubernetes/client-node';
import { PermanentAdapterError, TransientAdapterError, type AdapterError } from '../../adapter-errors.js';

/** A failed API call as the adapter sees it: the HTTP status (0: no answer) and the server's words. */
export class KubeApiError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'KubeApiError';
  }
}

/** Normalises what client-node, fetch and node:http throw into a KubeApiError. */
export function asKubeApiError(error: unknown): KubeApiError {
  if (error instanceof KubeApiError) return error;
  if (error instanceof ApiException) {
    const status = statusBody(error.body);
    return new KubeApiError(error.code, status.reason ?? '', status.message ?? `HTTP ${error.code}`, { cause: error });
  }
  const message = error instanceof Error ? `${error.message}${causeText(error)}` : String(error);
  return new KubeApiError(0, 'Unreachable', message, { cause: error });
}

/** A metav1.Status body (or text) from an error response. */
export function statusBody(body: unknown): { reason?: string; message?: string } {
  let parsed = body;
  if (typeof body === 'string') {
    try {
      parsed = JSON.parse(body);
    } catch {
      return { message: body.slice(0, 500) };
    }
  }
  if (parsed && typeof parsed === 'object') {
    const status = parsed as { reason?: unknown; message?: unknown };
    return { reason: typeof status.reason === 'string' ? status.reason : undefined, message: typeof status.message === 'string' ? status.message : undefined };
  }
  return {};
}

/**
 * The port's error for a failed call, as the contract lists: 422 is 'Invalid' with the server's
 * message; no answer, a timeout, 429 and 5xx are transient; a 409 that reaches here (the retries
 * are spent) is a transient 'Conflict'. 404 is the caller's to map, so here it is 'NotFound'.
 */
export function toAdapterError(error: unknown, what: string): AdapterError {
  const api = asKubeApiError(error);
  const message = `${what}: ${api.message}`;
  if (api.status === 0) return new TransientAdapterError(isTimeout(api) ? 'Timeout' : 'Unreachable', message, { cause: api });
  if (api.status === 409) return new TransientAdapterError('Conflict', message, { cause: api });
  if (api.status === 422) return new PermanentAdapterError('Invalid', message, { cause: api });
  if (api.status === 429 || api.status >= 500) return new TransientAdapterError('ServerError', message, { cause: api });
  if (api.status === 404) return new PermanentAdapterError('NotFound', message, { cause: api });
  if (api.status === 401 || api.status === 403) return new PermanentAdapterError('Forbidden', message, { cause: api });
  return new PermanentAdapterError(api.reason || `Http${api.status}`, message, { cause: api });
}

function isTimeout(error: KubeApiError): boolean {
  return /timeout|aborted/i.test(error.message);
}

function causeText(error: Error): string {
  const cause = (error as { cause?: unknown }).cause;
  if (cause instanceof Error) return ` (${(cause as { code?: string }).code ?? cause.message})`;
  return '';
}
