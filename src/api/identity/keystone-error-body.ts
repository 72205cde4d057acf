/** Keystone's titles by status; keystoneauth prints `message` and the CLI shows `(HTTP <code>)`. */
const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  413: 'Request Entity Too Large',
  415: 'Unsupported Media Type',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  503: 'Service Unavailable',
};

export interface KeystoneErrorBody {
  error: { code: number; message: string; title: string };
}

/** `{"error": {"code": 401, "message": "...", "title": "Unauthorized"}}`, built in one place. */
export function keystoneErrorBody(status: number, message: string): KeystoneErrorBody {
  return { error: { code: status, message, title: TITLES[status] ?? (status >= 500 ? 'Internal Server Error' : 'Bad Request') } };
}
