import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from '../../src/app/app.module.js';
import { loadConfig } from '../../src/config/load-config.js';
import { TEST_REDIS_URL, deleteRedisKeys, testRedisPrefix } from './redis.js';

export interface TestResponse {
  status: number;
  headers: Headers;
  text: string;
  json<T = any>(): T;
}

export interface TestApp {
  app: NestFastifyApplication;
  baseUrl: string;
  dataDir: string;
  /** A real HTTP request to the service on its loopback port. */
  request(method: string, path: string, init?: { headers?: Record<string, string>; body?: unknown }): Promise<TestResponse>;
  /**
   * Logs in with a password (POST /identity/v3/auth/tokens) and returns the token. Defaults: the
   * built-in `admin`, scoped to the user's project of the same name; the password `<user>-secret`
   * (the built-in users' defaults and the convention of the test identity files).
   */
  login(user?: string, options?: { password?: string; project?: string }): Promise<string>;
  close(): Promise<void>;
}

/** The built-in users' passwords on the embedded default (ADMIN_PASSWORD / DEMO_PASSWORD unset). */
export const DEFAULT_PASSWORDS: Record<string, string> = { admin: 'admin-secret', demo: 'demo-secret' };

/** Headers that carry a token. */
export function authHeaders(token: string): Record<string, string> {
  return { 'x-auth-token': token };
}

/**
 * The whole service on its embedded default (simulated infrastructure), in a temporary data directory,
 * on a free loopback port, with the test Redis under a key prefix of its own.
 */
export async function startTestApp(env: Record<string, string> = {}, options: { dataDir?: string } = {}): Promise<TestApp> {
  // A data directory the caller gives is the caller's to remove (to start the service twice on it).
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'virtplane-test-'));
  const prefix = testRedisPrefix();
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: prefix, ...env });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), new FastifyAdapter(), {
    logger: false,
    abortOnError: false,
  });
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  const t: TestApp = {
    app,
    baseUrl,
    dataDir,
    async request(method, path, init = {}) {
      const hasBody = init.body !== undefined;
      const res = await fetch(`${baseUrl}${path}`, {
        method,
        headers: { ...(hasBody ? { 'content-type': 'application/json' } : {}), ...init.headers },
        body: hasBody ? (typeof init.body === 'string' ? init.body : JSON.stringify(init.body)) : undefined,
      });
      const text = await res.text();
      return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text) };
    },
    async login(user = 'admin', { password, project } = {}) {
      const envPassword = user === 'admin' ? env.ADMIN_PASSWORD : user === 'demo' ? env.DEMO_PASSWORD : undefined;
      const res = await t.request('POST', '/identity/v3/auth/tokens', {
        body: {
          auth: {
            identity: {
              methods: ['password'],
              password: { user: { name: user, domain: { id: 'default' }, password: password ?? envPassword ?? DEFAULT_PASSWORDS[user] ?? `${user}-secret` } },
            },
            scope: { project: { name: project ?? user, domain: { id: 'default' } } },
          },
        },
      });
      const token = res.headers.get('x-subject-token');
      if (res.status !== 201 || !token) throw new Error(`login as ${user} failed: ${res.status} ${res.text}`);
      return token;
    },
    async close() {
      await app.close();
      await deleteRedisKeys(prefix);
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return t;
}
