/** Neutron's exception names for refusals that carry none of their own (webob's HTTP errors). */
const TYPES: Record<number, string> = {
  400: 'HTTPBadRequest',
  401: 'HTTPUnauthorized',
  403: 'PolicyNotAuthorized',
  404: 'HTTPNotFound',
  405: 'HTTPMethodNotAllowed',
  409: 'HTTPConflict',
  413: 'HTTPRequestEntityTooLarge',
  415: 'HTTPUnsupportedMediaType',
  500: 'HTTPInternalServerError',
  501: 'HTTPNotImplemented',
  503: 'HTTPServiceUnavailable',
};

export interface NeutronErrorBody {
  NeutronError: { type: string; message: string; detail: string };
}

/** `{"NeutronError": {"type": "NetworkNotFound", "message": "...", "detail": ""}}`, built in one place. */
export function neutronErrorBody(status: number, message: string, type?: string): NeutronErrorBody {
  return { NeutronError: { type: type ?? TYPES[status] ?? (status >= 500 ? 'HTTPInternalServerError' : 'HTTPBadRequest'), message, detail: '' } };
}
