import { Watch } from '@kubernetes/client-node';
import { createNamespace, eventually, ns, startFixture, vmManifest, type SimulatorFixture } from './simulator-fixture.js';

const vmPath = `/apis/kubevirt.io/v1/namespaces/${ns}/virtualmachines`;
const halted = (name: string) => vmManifest(name, { runStrategy: 'Halted' });

interface Event { type: string; object: { kind?: string; metadata: { name?: string; resourceVersion: string; annotations?: Record<string, string> }; code?: number; reason?: string } }

/** Reads newline-delimited watch events from a streaming fetch until `until` says stop. */
async function readEvents(response: Response, until: (events: Event[]) => boolean): Promise<Event[]> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const events: Event[] = [];
  let buffer = '';
  while (!until(events)) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let newline: number;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      events.push(JSON.parse(buffer.slice(0, newline)) as Event);
      buffer = buffer.slice(newline + 1);
    }
  }
  await reader.cancel().catch(() => undefined);
  return events;
}

describe('cluster simulator: watch', () => {
  let fixture: SimulatorFixture;
  beforeEach(async () => {
    fixture = await startFixture({ watchHistorySize: 5, bookmarkIntervalMs: 50 });
    await createNamespace(fixture);
  });
  afterEach(async () => fixture.simulator.close());

  it('given existing VMs, when watching without a resourceVersion, then ADDED for each, then live MODIFIED and DELETED', async () => {
    await fixture.api(vmPath, { method: 'POST', json: halted('a') });
    const response = await fixture.api(`${vmPath}?watch=true&fieldSelector=metadata.name%3Da`);
    expect(response.headers.get('content-type')).toBe('application/json');
    const reading = readEvents(response, (events) => events.some((e) => e.type === 'DELETED'));
    await eventually(async () => (await fixture.api(`${vmPath}/a`)).json().then((vm: { status?: { printableStatus?: string } }) => vm.status?.printableStatus === 'Stopped'), 5000, 'status');
    await fixture.api(`${vmPath}/a`, { method: 'PATCH', headers: { 'Content-Type': 'application/merge-patch+json' }, body: '{"metadata":{"labels":{"x":"y"}}}' });
    await fixture.api(vmPath, { method: 'POST', json: halted('b') });
    await fixture.api(`${vmPath}/a`, { method: 'DELETE' });
    const events = await reading;
    expect(events[0]).toMatchObject({ type: 'ADDED', object: { metadata: { name: 'a' } } });
    expect(events.some((e) => e.type === 'MODIFIED')).toBe(true);
    expect(events.every((e) => e.object.metadata.name === 'a')).toBe(true);
    expect(events[events.length - 1]!.type).toBe('DELETED');
  });

  it('given a resourceVersion, when resuming, then only later changes arrive', async () => {
    const created = await (await fixture.api(`/api/v1/namespaces/${ns}/secrets`, { method: 'POST', json: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's1' } } })).json();
    await fixture.api(`/api/v1/namespaces/${ns}/secrets`, { method: 'POST', json: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's2' } } });
    const response = await fixture.api(`/api/v1/namespaces/${ns}/secrets?watch=1&resourceVersion=${created.metadata.resourceVersion}`);
    const events = await readEvents(response, (e) => e.length >= 1);
    expect(events).toEqual([expect.objectContaining({ type: 'ADDED', object: expect.objectContaining({ metadata: expect.objectContaining({ name: 's2' }) }) })]);
  });

  it('given allowWatchBookmarks, when idle, then BOOKMARK events carry the current resourceVersion only', async () => {
    const response = await fixture.api(`/api/v1/namespaces/${ns}/secrets?watch=true&allowWatchBookmarks=true`);
    const events = await readEvents(response, (e) => e.some((x) => x.type === 'BOOKMARK'));
    const bookmark = events.find((e) => e.type === 'BOOKMARK')!;
    expect(bookmark.object).toEqual({ kind: 'Secret', apiVersion: 'v1', metadata: { resourceVersion: expect.stringMatching(/^\d+$/) } });
  });

  it('given sendInitialEvents with bookmarks, when watching, then the initial ADDED events end with the initial-events-end bookmark', async () => {
    await fixture.api(`/api/v1/namespaces/${ns}/secrets`, { method: 'POST', json: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's1' } } });
    const response = await fixture.api(`/api/v1/namespaces/${ns}/secrets?watch=true&allowWatchBookmarks=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan`);
    const events = await readEvents(response, (e) => e.some((x) => x.type === 'BOOKMARK'));
    expect(events.map((e) => e.type)).toEqual(['ADDED', 'BOOKMARK']);
    expect(events[1]!.object.metadata.annotations).toEqual({ 'k8s.io/initial-events-end': 'true' });
  });

  it('given a resourceVersion older than the retained history, when watching, then an ERROR event with a 410 Expired Status', async () => {
    const first = await (await fixture.api(`/api/v1/namespaces/${ns}/secrets`, { method: 'POST', json: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's0' } } })).json();
    for (let i = 1; i <= 8; i++) await fixture.api(`/api/v1/namespaces/${ns}/secrets`, { method: 'POST', json: { apiVersion: 'v1', kind: 'Secret', metadata: { name: `s${i}` } } });
    const response = await fixture.api(`/api/v1/namespaces/${ns}/secrets?watch=true&resourceVersion=${first.metadata.resourceVersion}`);
    expect(response.status).toBe(200);
    const events = await readEvents(response, () => false);
    expect(events).toEqual([{ type: 'ERROR', object: expect.objectContaining({ kind: 'Status', status: 'Failure', reason: 'Expired', code: 410, message: expect.stringMatching(/^too old resource version: \d+ \(\d+\)$/) }) }]);
  });

  it('given client-node Watch, when objects change, then its callback sees them and a 410 reaches it as an ERROR event', async () => {
    const watch = new Watch(fixture.kubeConfig);
    const seen: Array<[string, string]> = [];
    const request = await watch.watch(`/apis/kubevirt.io/v1/namespaces/${ns}/virtualmachines`, { allowWatchBookmarks: true },
      (type, object) => seen.push([type, (object as { metadata?: { name?: string } }).metadata?.name ?? '']), () => undefined);
    await fixture.api(vmPath, { method: 'POST', json: halted('web-01') });
    await eventually(() => seen.some(([type, name]) => type === 'ADDED' && name === 'web-01'), 5000, 'ADDED via client-node');
    await eventually(() => seen.some(([type]) => type === 'BOOKMARK'), 5000, 'BOOKMARK via client-node');
    request.abort();
    const errors: unknown[] = [];
    const expiredWatch = await watch.watch(`/apis/kubevirt.io/v1/namespaces/${ns}/virtualmachines`, { resourceVersion: '1' }, (type, object) => {
      if (type === 'ERROR') errors.push(object);
    }, () => undefined);
    for (let i = 0; i < 8; i++) await fixture.api(`/api/v1/namespaces/${ns}/secrets`, { method: 'POST', json: { apiVersion: 'v1', kind: 'Secret', metadata: { name: `t${i}` } } });
    const late = await watch.watch(`/apis/kubevirt.io/v1/namespaces/${ns}/virtualmachines`, { resourceVersion: '2' }, (type, object) => {
      if (type === 'ERROR') errors.push(object);
    }, () => undefined);
    await eventually(() => errors.length > 0, 5000, 'ERROR 410 via client-node');
    expect(errors[0]).toMatchObject({ code: 410, reason: 'Expired' });
    expiredWatch.abort();
    late.abort();
  });
});
