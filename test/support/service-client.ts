import { waitFor } from './redis.js';

/** An API client for a service started as a process (ServiceHarness): a demo token, calls, and a server made ACTIVE. */
export class ServiceClient {
  private token = '';

  constructor(private readonly baseUrl: string) {}

  /** Logs in as demo in project demo (the embedded default's seeded user). */
  async login(): Promise<this> {
    const res = await fetch(`${this.baseUrl}/identity/v3/auth/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        auth: {
          identity: { methods: ['password'], password: { user: { name: 'demo', domain: { id: 'default' }, password: 'demo-secret' } } },
          scope: { project: { name: 'demo', domain: { id: 'default' } } },
        },
      }),
    });
    this.token = res.headers.get('x-subject-token')!;
    return this;
  }

  async call(method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { 'x-auth-token': this.token, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, json: (await res.json()) as any };
  }

  /** Creates a server, reads it back at once (read your writes) and waits for it to be ACTIVE. */
  async createActive(name: string): Promise<void> {
    const created = await this.call('POST', '/compute/v2.1/servers', { server: { name, flavorRef: '1', imageRef: 'docker://quay.io/containerdisks/fedora:41', networks: 'none' } });
    expect(created.status).toBe(202);
    const id = created.json.server.id as string;
    const shown = await this.call('GET', `/compute/v2.1/servers/${id}`);
    expect(shown.status).toBe(200);
    expect(shown.json.server.name).toBe(name);
    await waitFor(async () => (await this.call('GET', `/compute/v2.1/servers/${id}`)).json.server.status === 'ACTIVE', 60_000, `${name} to be ACTIVE`);
  }
}
