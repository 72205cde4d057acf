import { TEST_REDIS_URL, shouldRunRedisTests } from '../../support/redis.js';
import { ServiceHarness, buildService, type ServiceBuild, type ServiceProcess } from '../../support/service-process.js';

const redisAvailable = await shouldRunRedisTests();

/** A token for the seeded admin, as any client gets one. */
async function adminToken(service: ServiceProcess): Promise<string> {
  const res = await fetch(`${service.baseUrl}/identity/v3/auth/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      auth: {
        identity: { methods: ['password'], password: { user: { name: 'admin', domain: { id: 'default' }, password: 'admin-secret' } } },
        scope: { project: { name: 'admin', domain: { id: 'default' } } },
      },
    }),
  });
  if (res.status !== 201) throw new Error(`token: ${res.status} ${await res.text()}`);
  return res.headers.get('x-subject-token')!;
}

async function call(service: ServiceProcess, token: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const res = await fetch(`${service.baseUrl}${path}`, {
    method,
    headers: { 'x-auth-token': token, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: res.headers.get('content-type')?.includes('json') ? await res.json() : null };
}

/**
 * A port create killed (SIGKILL) between its reservations and CreatePort, never retried: after the
 * restart its address is still held (409), until the reservation sweeper frees it after its grace.
 */
(redisAvailable ? describe : describe.skip)('port create killed mid-way (service as a child process, SIGKILL)', () => { // skipped only outside CI (Redis at 127.0.0.1:6379 unreachable); under CI=true it runs and fails
  let build: ServiceBuild;
  let harness: ServiceHarness;
  beforeAll(async () => {
    build = await buildService();
    harness = new ServiceHarness({ build, redisUrl: TEST_REDIS_URL, env: { RESERVATION_SWEEP_INTERVAL_SECONDS: '0.2', RESERVATION_SWEEP_GRACE_SECONDS: '3' } });
  }, 180_000);
  afterAll(async () => {
    await harness?.cleanup();
    build?.remove();
  });

  it('given a kill after the reservations, when the service restarts, then the address is held until the sweeper frees it, and then it can be taken', async () => {
    const setup = await harness.start({}, 'setup');
    let token = await adminToken(setup);
    const net = (await call(setup, token, 'POST', '/network/v2.0/networks', { network: { name: 'crash' } })).body.network as { id: string };
    expect((await call(setup, token, 'POST', '/network/v2.0/subnets', { subnet: { network_id: net.id, cidr: '10.96.0.0/24', ip_version: 4 } })).status).toBe(201);
    await setup.kill('SIGTERM', 20_000);

    const armed = await harness.start({ VIRTPLANE_FAILPOINTS: 'after-reservations:create-port' }, 'armed');
    token = await adminToken(armed);
    const port = { port: { network_id: net.id, fixed_ips: [{ ip_address: '10.96.0.50' }] } };
    await expect(call(armed, token, 'POST', '/network/v2.0/ports', port)).rejects.toThrow();
    expect((await armed.waitForExit(20_000)).signal).toBe('SIGKILL');

    const after = await harness.start({}, 'after restart');
    token = await adminToken(after);
    const held = await call(after, token, 'POST', '/network/v2.0/ports', port);
    expect(held.status).toBe(409);
    expect(JSON.stringify(held.body)).toMatch(/already allocated/);
    expect((await call(after, token, 'GET', '/network/v2.0/ports')).body.ports).toEqual([]);

    const deadline = Date.now() + 20_000;
    let created = held;
    while (created.status !== 201 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      created = await call(after, token, 'POST', '/network/v2.0/ports', port);
    }
    expect(created.status).toBe(201);
    expect(created.body.port.fixed_ips).toEqual([expect.objectContaining({ ip_address: '10.96.0.50' })]);
  }, 180_000);
});
