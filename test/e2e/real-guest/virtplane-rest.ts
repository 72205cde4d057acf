/** A REST client for the service under test, as an OpenStack user would call it (Keystone token, Nova microversion). */
export interface RestReply {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  requestId: string | null;
}

export class VirtplaneRest {
  private constructor(
    private baseUrl: string,
    private readonly token: string,
  ) {}

  /** Logs in with a password, scoped to the user's project of the same name. */
  static async login(baseUrl: string, user: string, password: string, project: string): Promise<VirtplaneRest> {
    const res = await fetch(`${baseUrl}/identity/v3/auth/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        auth: {
          identity: { methods: ['password'], password: { user: { name: user, domain: { id: 'default' }, password } } },
          scope: { project: { name: project, domain: { id: 'default' } } },
        },
      }),
    });
    const token = res.headers.get('x-subject-token');
    if (res.status !== 201 || !token) throw new Error(`login as ${user}: ${res.status} ${await res.text()}`);
    return new VirtplaneRest(baseUrl, token);
  }

  /** The same token against another run of the service (a restart picks a new port). */
  at(baseUrl: string): VirtplaneRest {
    this.baseUrl = baseUrl;
    return this;
  }

  async call(method: string, path: string, body?: unknown, microversion = '2.96'): Promise<RestReply> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        'x-auth-token': this.token,
        'openstack-api-version': `compute ${microversion}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(120_000),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, body: parsed, requestId: res.headers.get('x-openstack-request-id') ?? res.headers.get('x-compute-request-id') };
  }
}
