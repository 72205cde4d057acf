import { isMicroversionedPath } from '../compute/request.hook.js';
import { ERROR_SCHEMAS, errorSchemaRef, genericErrorDescription } from './error-responses.js';
import { pathParameterNames } from './openapi-path.js';
import { TAGS, type Catalogue, type ErrorStatus, type OperationDoc } from './operation-doc.js';
import { routeKey, type DiscoveredRoute } from './route-table.js';
import { queryParameters, requestJsonSchema, type JsonSchema } from './zod-json-schema.js';

export type OpenApiDocument = Record<string, unknown> & { paths: Record<string, Record<string, JsonSchema>> };

export interface DocumentSource {
  readonly routes: readonly DiscoveredRoute[];
  readonly catalogue: Catalogue;
  readonly version: string;
  /** PUBLIC_URL: where clients reach the service. */
  readonly serverUrl: string;
}

const SECURITY_SCHEME = 'keystoneToken';

const DESCRIPTION = [
  'An event-sourced VM control plane with an OpenStack-style API: a Keystone v3 subset under `/identity`,',
  'Nova v2.1 under `/compute/v2.1`, Neutron v2.0 under `/network`, Glance v2 under `/image`, plus the audit',
  'trail, the live event stream and operational endpoints.',
  '',
  '**Authentication.** Get a token with `POST /identity/v3/auth/tokens` (the `X-Subject-Token` response header)',
  'and send it as `X-Auth-Token`. Operations marked without a lock need none. An unscoped token is 403 outside',
  '`/identity`. Roles: `admin` implies `member` implies `reader`; a reader cannot change anything.',
  '',
  '**Errors** have Nova\'s body form (`{"itemNotFound": {"code": 404, "message": "..."}}`) except under',
  '`/identity`, where they have Keystone\'s (`{"error": {"code", "message", "title"}}`), and under `/network`,',
  'where they have Neutron\'s (`{"NeutronError": {"type", "message", "detail"}}`).',
  '',
  '**Compute microversions** 2.1 to 2.96 with `OpenStack-API-Version: compute 2.96` (`latest` is 2.96; none is',
  '2.1). Every response carries `x-openstack-request-id`; a client\'s own `X-OpenStack-Request-Id` (`req-<uuid>`) is',
  'kept, recorded in the instance actions and the audit log, and makes a retried write take effect once.',
].join('\n');

const COMPUTE_PARAMETERS = {
  OpenStackApiVersion: {
    name: 'OpenStack-API-Version',
    in: 'header',
    required: false,
    description: 'The compute microversion, `compute 2.X` or `compute latest` (the legacy X-OpenStack-Nova-API-Version: 2.X works too). None: 2.1. Out of range: 406.',
    schema: { type: 'string', examples: ['compute 2.96'] },
  },
  XOpenStackRequestId: {
    name: 'X-OpenStack-Request-Id',
    in: 'header',
    required: false,
    description: 'The client\'s request id, `req-<uuid>`: echoed, recorded with the action, and the key that makes a retried write take effect once.',
    schema: { type: 'string', pattern: '^req-[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$' },
  },
} as const;

const COMPUTE_RESPONSE_HEADERS = {
  'x-openstack-request-id': { description: 'The request\'s id (the client\'s own when it sent one).', schema: { type: 'string' } },
  'OpenStack-API-Version': { description: 'The microversion the request ran at, `compute 2.X`.', schema: { type: 'string' } },
};

/** The OpenAPI 3.1 document of every route Nest registered, described by the catalogue. */
export function buildOpenApiDocument(source: DocumentSource): OpenApiDocument {
  const paths: OpenApiDocument['paths'] = {};
  for (const route of source.routes) {
    const doc = source.catalogue[routeKey(route)];
    (paths[route.path] ??= {})[route.method.toLowerCase()] = operation(route, doc);
  }
  return {
    openapi: '3.1.0',
    info: { title: 'virtplane', version: source.version, description: DESCRIPTION },
    servers: [{ url: source.serverUrl }],
    tags: Object.entries(TAGS).map(([name, description]) => ({ name, description })),
    security: [{ [SECURITY_SCHEME]: [] }],
    paths,
    components: {
      securitySchemes: {
        [SECURITY_SCHEME]: { type: 'apiKey', in: 'header', name: 'X-Auth-Token', description: 'A Keystone token from POST /identity/v3/auth/tokens (its X-Subject-Token header).' },
      },
      parameters: COMPUTE_PARAMETERS,
      schemas: ERROR_SCHEMAS,
    },
  };
}

function operation(route: DiscoveredRoute, doc: OperationDoc | undefined): JsonSchema {
  // A route nobody documented still appears, flagged, so the document never hides one.
  const d: OperationDoc = doc ?? {
    summary: `${route.method} ${route.path} (undocumented)`,
    tag: 'Operations',
    description: `${route.handler} has no entry in the API catalogue (src/api/openapi/catalogue) yet.`,
    success: { status: route.fixedStatus ?? (route.method === 'POST' ? 201 : 200), description: 'Success.' },
  };
  const compute = isMicroversionedPath(route.path);
  const parameters: JsonSchema[] = [
    ...pathParameterNames(route.path).map((name) => ({
      name,
      in: 'path',
      required: true,
      schema: { type: 'string' },
      ...(d.params?.[name] ? { description: d.params[name] } : {}),
    })),
    ...(d.query ? queryParameters(d.query) : []),
    ...(d.headers ?? []).map((h) => ({ name: h.name, in: 'header', required: h.required ?? false, description: h.description, schema: { type: 'string' } })),
    ...(compute ? Object.keys(COMPUTE_PARAMETERS).map((name) => ({ $ref: `#/components/parameters/${name}` })) : []),
  ];
  return {
    operationId: route.handler.replace('.', '_'),
    summary: d.summary,
    tags: [d.tag],
    ...(description(route, d) ? { description: description(route, d) } : {}),
    ...(route.isPublic ? { security: [] } : {}),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(d.body ? { requestBody: { required: true, content: { 'application/json': { schema: requestJsonSchema(d.body) } } } } : {}),
    responses: responses(route, d, compute),
  };
}

function description(route: DiscoveredRoute, d: OperationDoc): string | undefined {
  const notes = [d.description, route.isPublic ? 'No token needed.' : undefined].filter((s): s is string => s !== undefined);
  return notes.length > 0 ? notes.join('\n\n') : undefined;
}

function responses(route: DiscoveredRoute, d: OperationDoc, compute: boolean): Record<string, JsonSchema> {
  const contentType = d.success.contentType === undefined ? 'application/json' : d.success.contentType;
  const headers = {
    ...Object.fromEntries(Object.entries(d.success.headers ?? {}).map(([name, description]) => [name, { description, schema: { type: 'string' } }])),
    ...(compute ? COMPUTE_RESPONSE_HEADERS : {}),
  };
  const out: Record<string, JsonSchema> = {
    [String(d.success.status)]: {
      description: d.success.description,
      ...(Object.keys(headers).length > 0 ? { headers } : {}),
      ...(contentType ? { content: { [contentType]: { schema: contentType === 'application/json' ? { type: 'object' } : { type: 'string' } } } } : {}),
    },
  };
  const errors = new Map<ErrorStatus, string[]>();
  const add = (status: ErrorStatus, why: string) => errors.set(status, [...(errors.get(status) ?? []), why]);
  for (const [status, why] of Object.entries(d.errors ?? {})) add(Number(status) as ErrorStatus, why);
  if (!route.isPublic) {
    add(401, 'No X-Auth-Token, or a forged, expired or revoked one.');
    if (!route.allowsUnscoped && !errors.get(403)?.some((w) => /not scoped/.test(w))) add(403, 'The token is not scoped to a project.');
  }
  if (compute) {
    add(400, 'A malformed OpenStack-API-Version header.');
    add(406, 'A microversion outside 2.1 to 2.96.');
    if (d.body) add(413, 'A body larger than 112 KiB (Nova\'s limit).');
  }
  const schema = { $ref: errorSchemaRef(route.path) };
  for (const status of [...errors.keys()].sort((a, b) => a - b)) {
    const why = errors.get(status)!.filter((w) => w.length > 0);
    out[String(status)] = {
      description: why.length > 0 ? why.join(' Or: ') : genericErrorDescription(status),
      content: { 'application/json': { schema } },
    };
  }
  return out;
}
