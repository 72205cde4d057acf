import { z } from 'zod';
import { mergeCatalogues } from '../../../../src/api/openapi/catalogue/index.js';
import { buildOpenApiDocument } from '../../../../src/api/openapi/openapi-document.js';
import { joinRoutePath, pathParameterNames, toOpenApiPath } from '../../../../src/api/openapi/openapi-path.js';
import type { Catalogue } from '../../../../src/api/openapi/operation-doc.js';
import type { DiscoveredRoute } from '../../../../src/api/openapi/route-table.js';
import { requestJsonSchema } from '../../../../src/api/openapi/zod-json-schema.js';

const route = (method: DiscoveredRoute['method'], path: string, extra: Partial<DiscoveredRoute> = {}): DiscoveredRoute => ({
  method,
  path,
  isPublic: false,
  allowsUnscoped: false,
  fixedStatus: undefined,
  handler: `Test.${method.toLowerCase()}${path.replace(/\W/g, '_')}`,
  ...extra,
});

const build = (routes: DiscoveredRoute[], catalogue: Catalogue) =>
  buildOpenApiDocument({ routes, catalogue, version: '9.9.9', serverUrl: 'http://example.test' });

describe('Nest paths to OpenAPI paths', () => {
  it.each([
    ['', '', '/'],
    ['compute/v2.1/servers', ':id', '/compute/v2.1/servers/:id'],
    ['/identity/v3/auth/', '/tokens', '/identity/v3/auth/tokens'],
    ['', 'healthz', '/healthz'],
  ])('given controller %j and handler %j, when joined, then %s', (controller, handler, joined) => {
    expect(joinRoutePath(controller, handler)).toBe(joined);
  });

  it('given :params, when converted, then they are {params} in order', () => {
    const path = toOpenApiPath('/compute/v2.1/servers/:id/os-instance-actions/:requestId');
    expect(path).toBe('/compute/v2.1/servers/{id}/os-instance-actions/{requestId}');
    expect(pathParameterNames(path)).toEqual(['id', 'requestId']);
  });
});

describe('buildOpenApiDocument', () => {
  const ok = { status: 200, description: 'ok' };

  it('given a route nobody documented, when the document is built, then it is still there, flagged as undocumented', () => {
    const doc = build([route('GET', '/compute/v2.1/os-migrations')], {});
    const op = doc.paths['/compute/v2.1/os-migrations']!.get!;
    expect(op.summary).toMatch(/undocumented/);
    expect(op.description).toMatch(/Test\.get.* has no entry in the API catalogue/);
  });

  it('given a protected compute route with a body, when built, then 401, unscoped 403, 406 and 413 are added to its own errors', () => {
    const doc = build([route('POST', '/compute/v2.1/things')], {
      'POST /compute/v2.1/things': { summary: 's', tag: 'Operations', body: z.strictObject({ a: z.string() }), success: ok, errors: { 403: 'Not admin.' } },
    });
    const responses = doc.paths['/compute/v2.1/things']!.post!.responses as Record<string, { description: string }>;
    expect(Object.keys(responses)).toEqual(['200', '400', '401', '403', '406', '413']);
    expect(responses['403']!.description).toBe('Not admin. Or: The token is not scoped to a project.');
  });

  it('given a public route, when built, then it needs no security and has no 401', () => {
    const doc = build([route('GET', '/healthz', { isPublic: true })], { 'GET /healthz': { summary: 's', tag: 'Operations', success: ok } });
    const op = doc.paths['/healthz']!.get!;
    expect(op.security).toEqual([]);
    expect(Object.keys(op.responses as object)).toEqual(['200']);
  });

  it('given a route accepting unscoped tokens, when built, then no unscoped 403 is claimed', () => {
    const doc = build([route('GET', '/identity/v3/auth/projects', { allowsUnscoped: true })], {
      'GET /identity/v3/auth/projects': { summary: 's', tag: 'Identity', success: ok },
    });
    expect(Object.keys(doc.paths['/identity/v3/auth/projects']!.get!.responses as object)).toEqual(['200', '401']);
  });

  it('given a success without a body, when built, then the response has no content', () => {
    const doc = build([route('DELETE', '/things/{id}')], { 'DELETE /things/{id}': { summary: 's', tag: 'Operations', success: { status: 204, description: 'gone', contentType: null } } });
    expect((doc.paths['/things/{id}']!.delete!.responses as Record<string, object>)['204']).toEqual({ description: 'gone' });
  });
});

describe('mergeCatalogues', () => {
  it('given one route in two areas, when merged, then it is refused naming the route', () => {
    const doc = { summary: 's', tag: 'Operations', success: { status: 200, description: 'ok' } } as const;
    expect(() => mergeCatalogues([{ 'GET /x': doc }, { 'GET /x': doc }])).toThrow('GET /x');
  });
});

describe('requestJsonSchema', () => {
  it('given a schema reusing a sub-schema, when converted, then it is inlined (no $defs a document-level $ref would miss)', () => {
    const ref = z.object({ id: z.string() });
    const json = requestJsonSchema(z.object({ a: ref, b: ref }));
    expect(JSON.stringify(json)).not.toMatch(/\$ref|\$defs|\$schema/);
    expect(json).toMatchObject({ type: 'object', required: ['a', 'b'] });
  });

  it('given a preprocessed size, when converted, then the input is described by the validated type', () => {
    const size = z.preprocess((v) => (typeof v === 'string' ? Number(v) : v), z.number().int().min(1));
    expect(requestJsonSchema(z.object({ ram: size }))).toMatchObject({ properties: { ram: { type: 'integer', minimum: 1 } } });
  });
});
