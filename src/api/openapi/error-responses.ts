import { isIdentityPath } from '../identity/identity-path.js';
import { isNetworkPath } from '../network/network-path.js';
import type { ErrorStatus } from './operation-doc.js';

/** Nova's body form (everything outside /identity and /network), Keystone's (on /identity and /) and Neutron's (on /network). */
export const ERROR_SCHEMAS = {
  NovaError: {
    type: 'object',
    description: 'Nova\'s error body: one member named for the status (badRequest, itemNotFound, conflictingRequest, forbidden, ...).',
    minProperties: 1,
    maxProperties: 1,
    additionalProperties: {
      type: 'object',
      required: ['code', 'message'],
      properties: { code: { type: 'integer' }, message: { type: 'string' } },
    },
    examples: [{ itemNotFound: { code: 404, message: 'Instance 4f6a... could not be found.' } }],
  },
  KeystoneError: {
    type: 'object',
    description: 'Keystone\'s error body.',
    required: ['error'],
    properties: {
      error: {
        type: 'object',
        required: ['code', 'message', 'title'],
        properties: { code: { type: 'integer' }, message: { type: 'string' }, title: { type: 'string' } },
      },
    },
    examples: [{ error: { code: 401, message: 'The request you have made requires authentication.', title: 'Unauthorized' } }],
  },
  NeutronError: {
    type: 'object',
    description: 'Neutron\'s error body: the exception\'s name (NetworkNotFound, IpAddressAlreadyAllocated, InvalidInput, ...) and its message.',
    required: ['NeutronError'],
    properties: {
      NeutronError: {
        type: 'object',
        required: ['type', 'message', 'detail'],
        properties: { type: { type: 'string' }, message: { type: 'string' }, detail: { type: 'string' } },
      },
    },
    examples: [{ NeutronError: { type: 'NetworkNotFound', message: 'Network 4f6a... could not be found.', detail: '' } }],
  },
} as const;

/** What a status means when the catalogue does not say more. */
const GENERIC: Record<ErrorStatus, string> = {
  400: 'Bad request.',
  401: 'Authentication required.',
  403: 'Forbidden.',
  404: 'Not found.',
  405: 'Method not allowed.',
  406: 'Not acceptable.',
  409: 'Conflict.',
  413: 'Request too large.',
  415: 'Unsupported media type.',
  500: 'Internal error.',
  501: 'Not implemented.',
  503: 'Service unavailable.',
};

export function genericErrorDescription(status: ErrorStatus): string {
  return GENERIC[status];
}

/** The error body form a path answers with. */
export function errorSchemaRef(path: string): string {
  return `#/components/schemas/${isIdentityPath(path) ? 'KeystoneError' : isNetworkPath(path) ? 'NeutronError' : 'NovaError'}`;
}
