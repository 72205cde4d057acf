import { authRequestSchema } from '../../identity/auth-request.schema.js';
import type { Catalogue } from '../operation-doc.js';

const SUBJECT_TOKEN = { name: 'X-Subject-Token', required: true, description: 'The token to validate or revoke.' } as const;
const NOCATALOG = 'Add `?nocatalog` to leave the service catalog out of the token body.';

/** Version discovery at the root and Keystone v3 under /identity (errors in Keystone's body form). */
export const identityCatalogue: Catalogue = {
  'GET /': {
    summary: 'Identity API versions',
    tag: 'Version discovery',
    description: 'Keystone\'s version discovery document, as at `/identity`.',
    success: { status: 300, description: 'The identity versions and their links.' },
  },
  'GET /identity': {
    summary: 'Identity API versions',
    tag: 'Version discovery',
    description: 'Keystone\'s version discovery (also answered at `/identity/`, where version links point).',
    success: { status: 300, description: 'The identity versions and their links.' },
  },
  'GET /identity/v3': {
    summary: 'Identity v3 version document',
    tag: 'Version discovery',
    description: 'Also answered at `/identity/v3/`.',
    success: { status: 200, description: 'The v3 version: status, media types, links.' },
  },
  'POST /identity/v3/auth/tokens': {
    summary: 'Issue a token',
    tag: 'Identity',
    description: [
      'Password authentication (user by id, or by name and domain) or a token exchanged for another scope',
      '(never outliving it). Scope a project by id or by name and domain; with no scope the user\'s default',
      'project, `"unscoped"` for an unscoped token. Domain and system scope are not offered.',
      'The token is the `X-Subject-Token` response header. Unknown members of the body are ignored, as Keystone does.',
      NOCATALOG,
    ].join(' '),
    body: authRequestSchema,
    success: {
      status: 201,
      description: 'The token body (user, project, roles, methods, expiry, catalog); the token itself is the X-Subject-Token header.',
      headers: { 'X-Subject-Token': 'The token: send it as X-Auth-Token.' },
    },
    errors: {
      400: 'The body does not have the form of an authentication request, or names an unsupported method.',
      401: 'Wrong password, unknown user, or no role on the project (one message for all three).',
      403: 'Domain or system scope was asked for.',
    },
  },
  'GET /identity/v3/auth/tokens': {
    summary: 'Validate a token',
    tag: 'Identity',
    description: `Accepts an unscoped caller token. HEAD answers the same status and headers without a body. Another user's token needs admin. ${NOCATALOG}`,
    headers: [SUBJECT_TOKEN],
    success: { status: 200, description: 'The subject token\'s body.', headers: { 'X-Subject-Token': 'The subject token, echoed.' } },
    errors: {
      400: 'No X-Subject-Token header.',
      403: 'The subject token belongs to another user and the caller is not admin.',
      404: 'The subject token is revoked, expired or forged ("Failed to validate token").',
    },
  },
  'DELETE /identity/v3/auth/tokens': {
    summary: 'Revoke a token',
    tag: 'Identity',
    description: 'Accepts an unscoped caller token. The revocation is kept until the token would have expired.',
    headers: [SUBJECT_TOKEN],
    success: { status: 204, description: 'Revoked.', contentType: null },
    errors: {
      400: 'No X-Subject-Token header.',
      403: 'The subject token belongs to another user and the caller is not admin.',
      404: 'The subject token is already revoked, expired or forged.',
    },
  },
  'GET /identity/v3/auth/projects': {
    summary: 'The projects the caller has a role on',
    tag: 'Identity',
    description: 'Accepts an unscoped token (what a client asks before choosing a project).',
    success: { status: 200, description: 'The projects, with Keystone\'s links.' },
  },
  'GET /identity/v3/auth/catalog': {
    summary: 'The service catalog',
    tag: 'Identity',
    description: 'compute, network, image and identity endpoints under PUBLIC_URL, in RegionOne (public, internal and admin interfaces).',
    success: { status: 200, description: 'The catalog.' },
    errors: { 403: 'The token is not scoped to a project.' },
  },
  'GET /identity/v3/projects': {
    summary: 'List projects',
    tag: 'Identity',
    description: 'Admin only. Filters by `name`, `domain_id`, `enabled` as Keystone does.',
    success: { status: 200, description: 'The projects, with Keystone\'s links.' },
    errors: { 403: 'The caller is not admin.' },
  },
  'GET /identity/v3/projects/{id}': {
    summary: 'Show a project',
    tag: 'Identity',
    description: 'Admin, or the project the token is scoped to.',
    params: { id: 'The project id.' },
    success: { status: 200, description: 'The project.' },
    errors: { 403: 'Another project and the caller is not admin.', 404: 'No such project.' },
  },
  'GET /identity/v3/users/{id}': {
    summary: 'Show a user',
    tag: 'Identity',
    description: 'Admin, or the caller\'s own user. Accepts an unscoped token.',
    params: { id: 'The user id.' },
    success: { status: 200, description: 'The user (never its password).' },
    errors: { 403: 'Another user and the caller is not admin.', 404: 'No such user.' },
  },
  'GET /identity/v3/users/{id}/projects': {
    summary: 'The projects a user has a role on',
    tag: 'Identity',
    description: 'Admin, or the caller\'s own user. Accepts an unscoped token.',
    params: { id: 'The user id.' },
    success: { status: 200, description: 'The projects, with Keystone\'s links.' },
    errors: { 403: 'Another user and the caller is not admin.', 404: 'No such user.' },
  },
};
