/** Nova's error body names, by HTTP status: OpenStack clients print `message` from these. */
const NAMES: Record<number, string> = {
  400: 'badRequest',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'itemNotFound',
  405: 'badMethod',
  406: 'notAcceptable',
  409: 'conflictingRequest',
  413: 'overLimit',
  415: 'badMediaType',
  500: 'computeFault',
  501: 'notImplemented',
  503: 'serviceUnavailable',
};

/** `{"itemNotFound": {"code": 404, "message": "..."}}`, built in one place. */
export function novaErrorBody(status: number, message: string): Record<string, { code: number; message: string }> {
  return { [NAMES[status] ?? (status >= 500 ? 'computeFault' : 'badRequest')]: { code: status, message } };
}
