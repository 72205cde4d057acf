import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { LIVE_CHANGE_ACTIONS } from '../../../src/api/compute/live-change-actions.js';
import { API_CATALOGUE } from '../../../src/api/openapi/catalogue/index.js';
import { pathParameterNames } from '../../../src/api/openapi/openapi-path.js';
import { RouteTable, routeKey, type DiscoveredRoute } from '../../../src/api/openapi/route-table.js';
import { SwaggerUiAssets } from '../../../src/api/openapi/swagger-ui-assets.js';
import { authHeaders, startTestApp, type TestApp } from '../../support/test-app.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

type Doc = { openapi: string; info: { version: string }; servers: Array<{ url: string }>; tags: Array<{ name: string }>; paths: Record<string, Record<string, any>>; components: Record<string, any> };

const PUBLIC_URL = 'https://cloud.example.com/edge';
const PACKAGE_VERSION = (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** The structure OpenAPI 3.1 requires of what this document uses (a subset of the official schema). */
const OPENAPI_STRUCTURE = {
  type: 'object',
  required: ['openapi', 'info', 'paths'],
  properties: {
    openapi: { type: 'string', pattern: '^3\\.1\\.\\d+$' },
    info: { type: 'object', required: ['title', 'version'], properties: { title: { type: 'string' }, version: { type: 'string' } } },
    servers: { type: 'array', items: { type: 'object', required: ['url'] } },
    paths: {
      type: 'object',
      propertyNames: { pattern: '^/' },
      additionalProperties: {
        type: 'object',
        propertyNames: { enum: ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace', 'parameters', 'summary', 'description'] },
        additionalProperties: {
          type: 'object',
          required: ['responses'],
          properties: {
            operationId: { type: 'string' },
            tags: { type: 'array', items: { type: 'string' } },
            security: { type: 'array' },
            parameters: {
              type: 'array',
              items: {
                oneOf: [
                  { type: 'object', required: ['$ref'] },
                  {
                    type: 'object',
                    required: ['name', 'in', 'schema'],
                    properties: { in: { enum: ['path', 'query', 'header', 'cookie'] }, required: { type: 'boolean' } },
                    if: { properties: { in: { const: 'path' } } },
                    then: { required: ['required'], properties: { required: { const: true } } },
                  },
                ],
              },
            },
            requestBody: { type: 'object', required: ['content'] },
            responses: {
              type: 'object',
              minProperties: 1,
              propertyNames: { pattern: '^[1-5]\\d\\d$' },
              additionalProperties: { type: 'object', required: ['description'], properties: { description: { type: 'string', minLength: 1 } } },
            },
          },
        },
      },
    },
    components: {
      type: 'object',
      properties: {
        securitySchemes: { type: 'object', additionalProperties: { type: 'object', required: ['type'] } },
      },
    },
  },
};

function refsIn(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => refsIn(v, found));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string') found.push(v);
      else refsIn(v, found);
    }
  }
  return found;
}

function resolve(doc: unknown, ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined;
  return ref
    .slice(2)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>((node, key) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), doc);
}

describe('GET /openapi.json and /docs', () => {
  let t: TestApp;
  let routes: DiscoveredRoute[];
  let doc: Doc;

  beforeAll(async () => {
    t = await startTestApp({ SIM_PERSIST: 'false', PUBLIC_URL });
    routes = t.app.get(RouteTable).all();
    const res = await t.request('GET', '/openapi.json');
    expect(res.status).toBe(200);
    doc = res.json<Doc>();
  });
  afterAll(async () => {
    await t?.close();
  });

  describe('coverage: the document is the routes Nest registered', () => {
    it('given the routes Nest registered, when each is looked up in the catalogue, then every one is documented', () => {
      expect(routes.length).toBeGreaterThan(50);
      const undocumented = routes.filter((r) => !(routeKey(r) in API_CATALOGUE)).map((r) => `${routeKey(r)} (${r.handler})`);
      // A new route needs an entry in src/api/openapi/catalogue/ (the area's file).
      expect(undocumented).toEqual([]);
    });

    it('given the catalogue, when each entry is looked up among the routes, then every one is a real route', () => {
      const keys = new Set(routes.map(routeKey));
      expect(Object.keys(API_CATALOGUE).filter((k) => !keys.has(k))).toEqual([]);
    });

    it("given Nest's :param routes, when documented, then they are OpenAPI {param} paths with every operation present", () => {
      expect(doc.paths['/compute/v2.1/servers/{id}/os-instance-actions/{requestId}']?.get).toBeDefined();
      expect(Object.keys(doc.paths).some((p) => p.includes(':'))).toBe(false);
      const operations = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
      expect(operations.sort()).toEqual(routes.map(routeKey).sort());
    });
  });

  describe('structure', () => {
    it('given the document, when checked against the OpenAPI 3.1 structure, then it conforms', () => {
      const ajv = new Ajv2020({ allErrors: true, strict: false });
      const valid = ajv.validate(OPENAPI_STRUCTURE, doc);
      expect(ajv.errors ?? []).toEqual([]);
      expect(valid).toBe(true);
      expect(doc.openapi).toBe('3.1.0');
    });

    it('given every $ref in the document, when resolved, then each points at something', () => {
      const refs = [...new Set(refsIn(doc))];
      expect(refs.length).toBeGreaterThan(0);
      expect(refs.filter((r) => resolve(doc, r) === undefined)).toEqual([]);
    });

    it('given every path with {parameters}, when its operations are read, then each declares exactly those path parameters', () => {
      const problems: string[] = [];
      for (const [path, ops] of Object.entries(doc.paths)) {
        for (const [method, op] of Object.entries(ops)) {
          const declared = ((op.parameters ?? []) as Array<{ name?: string; in?: string }>).filter((p) => p.in === 'path').map((p) => p.name).sort();
          const expected = pathParameterNames(path).sort();
          if (JSON.stringify(declared) !== JSON.stringify(expected)) problems.push(`${method} ${path}: ${declared.join(',')} != ${expected.join(',')}`);
        }
      }
      expect(problems).toEqual([]);
    });

    it('given every operation, when read, then it has a unique operationId, a known tag and valid JSON Schemas', () => {
      const ajv = addFormats(new Ajv2020({ strict: false }));
      const ops = Object.values(doc.paths).flatMap((o) => Object.values(o));
      const ids = ops.map((o) => o.operationId as string);
      expect(new Set(ids).size).toBe(ids.length);
      const tags = new Set(doc.tags.map((tg) => tg.name));
      expect(ops.filter((o) => !(o.tags as string[]).every((tg) => tags.has(tg))).map((o) => o.operationId)).toEqual([]);
      for (const op of ops) {
        const body = op.requestBody?.content?.['application/json']?.schema;
        if (body) expect(() => ajv.compile(body)).not.toThrow();
        for (const p of op.parameters ?? []) if (p.schema) expect(() => ajv.compile(p.schema)).not.toThrow();
      }
    });

    it('given the document, when its header is read, then the version is the package\'s and the server is PUBLIC_URL', () => {
      expect(doc.info.version).toBe(PACKAGE_VERSION);
      expect(doc.servers).toEqual([{ url: PUBLIC_URL }]);
      expect(doc.components.securitySchemes.keystoneToken).toEqual(expect.objectContaining({ type: 'apiKey', in: 'header', name: 'X-Auth-Token' }));
    });

    it('given a compute route, when its parameters are read, then the microversion and request id headers are documented', () => {
      const refs = (doc.paths['/compute/v2.1/servers/{id}']!.get.parameters as Array<{ $ref?: string }>).map((p) => p.$ref);
      expect(refs).toEqual(expect.arrayContaining(['#/components/parameters/OpenStackApiVersion', '#/components/parameters/XOpenStackRequestId']));
      expect(doc.components.parameters.OpenStackApiVersion).toMatchObject({ name: 'OpenStack-API-Version', in: 'header' });
      expect(doc.paths['/healthz']!.get.parameters).toBeUndefined();
    });

    it('given a login, when its success is read, then the X-Subject-Token header that carries the token is documented', () => {
      expect(doc.paths['/identity/v3/auth/tokens']!.post.responses['201'].headers).toHaveProperty('X-Subject-Token');
    });

    it("given the error forms, when an identity, a compute and a network error are read, then they are Keystone's, Nova's and Neutron's", () => {
      expect(doc.paths['/network/v2.0/networks/{id}']!.get.responses['404'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/NeutronError' });
      expect(doc.paths['/identity/v3/auth/tokens']!.post.responses['401'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/KeystoneError' });
      expect(doc.paths['/compute/v2.1/servers/{id}']!.get.responses['404'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/NovaError' });
    });
  });

  describe('statuses and actions agree with the handlers', () => {
    it('given a route whose @HttpCode() fixes its status, when documented, then the document says that status', () => {
      const fixed = routes.filter((r) => r.fixedStatus !== undefined);
      expect(fixed.length).toBeGreaterThan(10);
      // An undocumented route is the coverage test's to report.
      const disagreeing = fixed
        .filter((r) => routeKey(r) in API_CATALOGUE && API_CATALOGUE[routeKey(r)]!.success.status !== r.fixedStatus)
        .map((r) => `${routeKey(r)}: ${r.fixedStatus}`);
      expect(disagreeing).toEqual([]);
    });

    it('given each action the document offers, when posted for an unknown server, then the handler knows it (404, not "no such action")', async () => {
      const admin = authHeaders(await t.login('admin'));
      const members = doc.paths['/compute/v2.1/servers/{id}/action']!.post.requestBody.content['application/json'].schema.anyOf as Array<{ required: string[] }>;
      const actions = members.map((m) => m.required[0]!);
      expect(actions).toEqual(expect.arrayContaining(['os-start', 'os-stop', 'reboot', 'pause', 'unpause', 'lock', 'unlock', ...LIVE_CHANGE_ACTIONS]));
      const arg = (action: string) => (action === 'reboot' ? { type: 'HARD' } : null);
      const answers = await Promise.all(
        actions.map(async (a) => [a, (await t.request('POST', '/compute/v2.1/servers/00000000-0000-4000-8000-000000000000/action', { headers: admin, body: { [a]: arg(a) } })).status]),
      );
      expect(Object.fromEntries(answers)).toEqual(Object.fromEntries(actions.map((a) => [a, 404])));
    });
  });

  describe('public and protected operations', () => {
    it('given the documented security, when compared with the guard\'s @Public() marks, then they agree', () => {
      for (const route of routes) {
        const op = doc.paths[route.path]![route.method.toLowerCase()];
        expect([routeKey(route), op.security]).toEqual([routeKey(route), route.isPublic ? [] : undefined]);
        if (!route.isPublic) expect([routeKey(route), '401' in op.responses]).toEqual([routeKey(route), true]);
      }
    });

    it('given no token, when every GET without path parameters is called, then the public ones answer and the others are 401', async () => {
      const gets = routes.filter((r) => r.method === 'GET' && pathParameterNames(r.path).length === 0 && r.path !== '/events');
      const outcomes = await Promise.all(gets.map(async (r) => [r.path, (await t.request('GET', r.path)).status === 401 ? 'protected' : 'public'] as const));
      expect(Object.fromEntries(outcomes)).toEqual(Object.fromEntries(gets.map((r) => [r.path, r.isPublic ? 'public' : 'protected'])));
    });
  });

  describe('the /docs page', () => {
    it('given no token, when /docs is fetched, then it is HTML that loads swagger-ui from the service and points at /openapi.json', async () => {
      const res = await t.request('GET', '/docs');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(res.text).toContain('<div id="swagger-ui">');
      expect(res.text).not.toMatch(/https?:\/\//);
      const init = await t.request('GET', '/docs/assets/docs-init.js');
      expect(init.text).toContain("url: 'openapi.json'");
      expect(new URL('openapi.json', `${t.baseUrl}/docs`).pathname).toBe('/openapi.json');
    });

    it('given the assets the page names, when each is fetched without a token, then each answers 200 with its content type', async () => {
      const page = (await t.request('GET', '/docs')).text;
      const assets = [...page.matchAll(/(?:src|href)="(docs\/assets\/[^"]+)"/g)].map((m) => m[1]!);
      expect(assets.map((a) => a.slice('docs/assets/'.length)).sort()).toEqual([...SwaggerUiAssets.names].sort());
      const expected: Record<string, RegExp> = { js: /^application\/javascript/, css: /^text\/css/, png: /^image\/png/ };
      for (const asset of assets) {
        const res = await fetch(new URL(asset, `${t.baseUrl}/docs`));
        expect([asset, res.status]).toEqual([asset, 200]);
        expect([asset, res.headers.get('content-type')]).toEqual([asset, expect.stringMatching(expected[asset.split('.').pop()!]!)]);
        expect((await res.arrayBuffer()).byteLength).toBeGreaterThan(100);
      }
    });

    it.each(['index.html', 'swagger-initializer.js', '..%2Fpackage.json', 'swagger-ui-bundle.js.map'])(
      'given %s, which the page does not load, when fetched, then 404',
      async (name) => {
        expect((await t.request('GET', `/docs/assets/${name}`)).status).toBe(404);
      },
    );
  });

  describe('documented request schemas are the validating ones', () => {
    const ajv = addFormats(new Ajv2020({ strict: false, allErrors: true }));
    const bodySchema = (path: string) => doc.paths[path]!.post.requestBody.content['application/json'].schema as object;
    let admin: Record<string, string>;
    beforeAll(async () => {
      admin = authHeaders(await t.login('admin'));
    });

    const server = { name: 'oa-1', flavorRef: '1', imageRef: 'docker://quay.io/containerdisks/fedora:41', networks: 'none' };
    it.each([
      ['a good body', { server }, true],
      ['no name', { server: { ...server, name: undefined } }, false],
      ['a name over 255 characters', { server: { ...server, name: 'n'.repeat(256) } }, false],
      ['an unknown member of server', { server: { ...server, colour: 'blue' } }, false],
      ['a field this cloud does not honour', { server: { ...server, adminPass: 'secret' } }, false],
      ['an unknown top-level member', { server, extra: 1 }, false],
      ['networks of the wrong type', { server: { ...server, networks: 42 } }, false],
    ])('given server create with %s, when the document\'s schema and the API judge it, then they agree', async (_, body, ok) => {
      expect(ajv.validate(bodySchema('/compute/v2.1/servers'), body)).toBe(ok);
      const res = await t.request('POST', '/compute/v2.1/servers', { headers: admin, body });
      expect([res.status, res.text]).toEqual([ok ? 202 : 400, expect.any(String)]);
    });

    const flavor = { name: 'oa-flavor', ram: 512, vcpus: 1, disk: 1 };
    it.each([
      ['a good body', { flavor: { ...flavor, 'hw:max_vcpus': 8 } }, true],
      ['no vcpus', { flavor: { ...flavor, vcpus: undefined } }, false],
      ['zero RAM', { flavor: { ...flavor, ram: 0 } }, false],
      ['an empty name', { flavor: { ...flavor, name: '' } }, false],
      ['an unknown member', { flavor: { ...flavor, gpus: 1 } }, false],
      ['a headroom of zero vCPUs', { flavor: { ...flavor, 'hw:max_vcpus': 0 } }, false],
      ['no flavor object', { name: 'x' }, false],
    ])('given flavor create with %s, when the document\'s schema and the API judge it, then they agree', async (_, body, ok) => {
      expect(ajv.validate(bodySchema('/compute/v2.1/flavors'), body)).toBe(ok);
      const res = await t.request('POST', '/compute/v2.1/flavors', { headers: admin, body });
      expect([res.status, res.text]).toEqual([ok ? 200 : 400, expect.any(String)]);
    });
  });
});
