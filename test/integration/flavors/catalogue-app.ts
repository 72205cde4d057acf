import { join } from 'node:path';
import { authHeaders, startTestApp, type TestApp, type TestResponse } from '../../support/test-app.js';

/** The service with four callers: admin, demo and demo2 (members of their projects), auditor (reader in demo). */
export interface CatalogueApp {
  t: TestApp;
  admin: Record<string, string>;
  demo: Record<string, string>;
  demo2: Record<string, string>;
  reader: Record<string, string>;
  call(method: string, path: string, as: Record<string, string> | null, body?: unknown, version?: string): Promise<TestResponse>;
  close(): Promise<void>;
}

/** PUBLIC_URL of the test service: what links in bodies start with. */
export const PUBLIC = 'http://cloud.example.test:8774';

export async function startCatalogueApp(env: Record<string, string> = {}): Promise<CatalogueApp> {
  const t = await startTestApp({
    SIM_PERSIST: 'false',
    PUBLIC_URL: PUBLIC,
    IDENTITY_FILE: join(process.cwd(), 'test', 'integration', 'flavors', 'fixtures', 'tenants.json'),
    ...env,
  });
  const [admin, demo, demo2, reader] = await Promise.all([
    t.login('admin'),
    t.login('demo'),
    t.login('demo2', { password: 'demo2-secret' }),
    t.login('auditor', { password: 'auditor-secret', project: 'demo' }),
  ]);
  return {
    t,
    admin: authHeaders(admin),
    demo: authHeaders(demo),
    demo2: authHeaders(demo2),
    reader: authHeaders(reader),
    call(method, path, as, body, version) {
      const headers: Record<string, string> = { ...(as ?? {}) };
      if (version) headers['openstack-api-version'] = `compute ${version}`;
      return t.request(method, path, { headers, body });
    },
    close: () => t.close(),
  };
}
