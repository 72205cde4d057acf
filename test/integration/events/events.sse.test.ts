import { authHeaders, startTestApp, type TestApp } from '../../support/test-app.js';
import { ServerDriver } from '../../support/server-driver.js';

interface SseMessage {
  id: string;
  event: string;
  data: { position: number; type: string; server_id: string | null; request_id: string };
}

/** Reads server-sent events from a live response until `until` says stop (bounded by timeoutMs). */
async function readEvents(res: Response, until: (m: SseMessage[]) => boolean, timeoutMs = 10_000): Promise<SseMessage[]> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const messages: SseMessage[] = [];
  let buffer = '';
  const deadline = Date.now() + timeoutMs;
  try {
    while (!until(messages)) {
      if (Date.now() > deadline) throw new Error(`stream did not deliver in time; got ${messages.map((m) => m.event).join(', ')}`);
      const { value, done } = await Promise.race([
        reader.read(),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no data within the deadline')), Math.max(1, deadline - Date.now()))),
      ]);
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const fields = Object.fromEntries(block.split('\n').filter((l) => !l.startsWith(':') && l.includes(': ')).map((l) => [l.slice(0, l.indexOf(': ')), l.slice(l.indexOf(': ') + 2)]));
        if (fields.data) messages.push({ id: fields.id!, event: fields.event!, data: JSON.parse(fields.data) });
      }
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return messages;
}

async function session(t: TestApp, user: string) {
  const token = await t.login(user);
  const res = await t.request('GET', '/identity/v3/auth/tokens', { headers: { ...authHeaders(token), 'x-subject-token': token } });
  const body = res.json().token;
  return { token, actor: { userId: body.user.id as string, projectId: body.project.id as string, roles: ['member'] } };
}

describe('GET /events (server-sent events)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ SIM_PERSIST: 'false' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it("given a member streaming, when servers of two projects are built, then only the member's server's events arrive, in order", async () => {
    const demo = await session(t, 'demo');
    const res = await fetch(`${t.baseUrl}/events`, { headers: authHeaders(demo.token) });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);

    const other = new ServerDriver(t, { ...demo.actor, projectId: 'someone-else' });
    const otherVm = (await other.create('not-yours')).vmId;
    await other.settles(otherVm, 'ACTIVE');
    const mine = new ServerDriver(t, demo.actor);
    const myVm = (await mine.create('streamed')).vmId;

    const messages = await readEvents(res, (m) => m.some((x) => x.event === 'VMBuilt' && x.data.server_id === myVm));
    expect(messages.every((m) => m.data.server_id === myVm)).toBe(true);
    expect(messages.map((m) => m.event)).toEqual(['VMCreated', 'TaskStepSucceeded', 'TaskStepSucceeded', 'VMBuilt']);
    const positions = messages.map((m) => Number(m.id));
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
  });

  it('given a client that reconnects with Last-Event-ID, then it continues after that event with nothing repeated', async () => {
    const admin = await t.login('admin');
    const driver = new ServerDriver(t);
    const vmId = (await driver.create('resumed')).vmId;
    await driver.settles(vmId, 'ACTIVE');
    const all = await readEvents(await fetch(`${t.baseUrl}/events?after=0`, { headers: authHeaders(admin) }), (m) => m.some((x) => x.event === 'VMBuilt' && x.data.server_id === vmId));
    const mine = all.filter((m) => m.data.server_id === vmId);
    const resumeAfter = mine[1]!.id;
    const rest = await readEvents(
      await fetch(`${t.baseUrl}/events`, { headers: { ...authHeaders(admin), 'last-event-id': resumeAfter } }),
      (m) => m.some((x) => x.event === 'VMBuilt' && x.data.server_id === vmId),
    );
    expect(rest[0]!.id).toBe(mine[2]!.id);
    expect(rest.filter((m) => m.data.server_id === vmId).map((m) => m.event)).toEqual(mine.slice(2).map((m) => m.event));
  });

  it('given no token, then 401', async () => {
    expect((await t.request('GET', '/events')).status).toBe(401);
  });
});
