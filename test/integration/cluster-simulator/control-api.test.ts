import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startClusterSimulator } from '../../../src/cluster-simulator/cluster-simulator.js';
import { createNamespace, eventually, ns, startFixture, vmManifest, type JsonResponse, type SimulatorFixture } from './simulator-fixture.js';

const vmPath = `/apis/kubevirt.io/v1/namespaces/${ns}/virtualmachines`;
const halted = (name: string) => vmManifest(name, { runStrategy: 'Halted' });

describe('cluster simulator: control API', () => {
  let fixture: SimulatorFixture;
  beforeEach(async () => {
    fixture = await startFixture();
    await createNamespace(fixture);
  });
  afterEach(async () => fixture.simulator.close());

  const control = (path: string, method: string, json?: unknown): Promise<JsonResponse> =>
    fetch(`${fixture.simulator.url}/simulator/v1/${path}`, { method, ...(json !== undefined ? { body: JSON.stringify(json), headers: { 'Content-Type': 'application/json' } } : {}) });

  it('given an armed failure over HTTP, when the next two matching requests come, then they fail with that status and the third succeeds', async () => {
    expect((await control('faults/fail', 'POST', { verb: 'create', resource: 'virtualmachines', count: 2, status: 503 })).status).toBe(200);
    const first = await fixture.api(vmPath, { method: 'POST', json: halted('a') });
    expect(first.status).toBe(503);
    expect(await first.json()).toMatchObject({ kind: 'Status', reason: 'ServiceUnavailable', code: 503 });
    expect((await fixture.api(vmPath, { method: 'POST', json: halted('a') })).status).toBe(503);
    expect((await fixture.api(vmPath, { method: 'POST', json: halted('a') })).status).toBe(201);
  });

  it('given an in-process failure on one name and subresource, when other requests come, then only the matching one fails', async () => {
    await fixture.api(vmPath, { method: 'POST', json: vmManifest('a', { runStrategy: 'Manual' }) });
    fixture.simulator.control.failNext({ verb: 'update', resource: 'virtualmachines/start', name: 'a', status: 500, reason: 'InternalError', message: 'virt-api down' });
    expect((await fixture.api(`${vmPath}/a`)).status).toBe(200);
    const start = await fixture.api(`/apis/subresources.kubevirt.io/v1/namespaces/${ns}/virtualmachines/a/start`, { method: 'PUT', json: {} });
    expect(start.status).toBe(500);
    expect((await start.json()).message).toBe('virt-api down');
    expect((await fixture.api(`/apis/subresources.kubevirt.io/v1/namespaces/${ns}/virtualmachines/a/start`, { method: 'PUT', json: {} })).status).toBe(202);
  });

  it('given an armed delay, when the request comes, then it is answered after the delay', async () => {
    fixture.simulator.control.delayNext({ verb: 'list', resource: 'virtualmachines', delayMs: 300 });
    const started = Date.now();
    expect((await fixture.api(vmPath)).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('given open watches, when dropped, then the streams end', async () => {
    const response = await fixture.api(`${vmPath}?watch=true`);
    const reader = response.body!.getReader();
    const ended = (async () => {
      for (;;) if ((await reader.read()).done) return true;
    })();
    await eventually(async () => (await (await control('watches/drop', 'POST')).json()).dropped === 1, 5000, 'one watch dropped');
    expect(await ended).toBe(true);
  });

  it('given unreachable for a while, when requests come, then connections fail, and after it they succeed', async () => {
    fixture.simulator.control.makeUnreachable(300);
    await expect(fixture.api(vmPath)).rejects.toThrow();
    await eventually(async () => (await fixture.api(vmPath)).status === 200, 5000, 'reachable again');
  });

  it('given requests, when the log is read, then it has method, path, content type and body; reset empties the cluster', async () => {
    await fixture.api(vmPath, { method: 'POST', json: halted('a') });
    await fixture.api(`${vmPath}/a`, { method: 'PATCH', headers: { 'Content-Type': 'application/merge-patch+json' }, body: '{"spec":{"runStrategy":"Manual"}}' });
    const log = (await (await control('requests', 'GET')).json()).items;
    expect(log).toContainEqual({ method: 'POST', path: vmPath, contentType: 'application/json', body: halted('a'), status: 201 });
    expect(log).toContainEqual({ method: 'PATCH', path: `${vmPath}/a`, contentType: 'application/merge-patch+json', body: { spec: { runStrategy: 'Manual' } }, status: 200 });
    expect(fixture.simulator.control.requests().length).toBe(log.length);
    expect((await control('reset', 'POST')).status).toBe(200);
    expect(fixture.simulator.control.requests()).toEqual([]);
    expect((await fixture.api(`/api/v1/namespaces/${ns}`)).status).toBe(404);
    expect((await fixture.api('/api/v1/namespaces/default')).status).toBe(200);
    expect((await (await fixture.api('/api/v1/nodes')).json()).items).toHaveLength(2);
  });

  it('given a bad control request, when sent, then 400 or 404', async () => {
    expect((await control('faults/fail', 'POST', { resource: 'pods' })).status).toBe(400);
    expect((await control('nope', 'GET')).status).toBe(404);
  });

  it('given a failure armed after the write, when the create comes, then the object exists, the client gets the error and the effect is logged once', async () => {
    expect((await control('faults/fail', 'POST', { verb: 'create', resource: 'virtualmachines', status: 422, message: 'denied after the fact', when: 'after' })).status).toBe(200);
    const refused = await fixture.api(vmPath, { method: 'POST', json: halted('a') });
    expect(refused.status).toBe(422);
    expect(fixture.simulator.control.requests().filter((r) => r.method === 'POST' && r.path === vmPath).map((r) => r.status)).toEqual([422]);
    expect((await refused.json()).message).toBe('denied after the fact');
    expect((await fixture.api(`${vmPath}/a`)).status).toBe(200);
    // a second create is the API server's own 409: not an effect, and the used-up rule does not fire
    expect((await fixture.api(vmPath, { method: 'POST', json: halted('a') })).status).toBe(409);
    expect(fixture.simulator.control.effects({ resource: 'virtualmachines' })).toEqual([{ verb: 'create', resource: 'virtualmachines', namespace: ns, name: 'a', status: 201 }]);
  });

  it('given a failure armed after the write, when the write fails on its own, then the rule waits for one that succeeds', async () => {
    fixture.simulator.control.failNext({ verb: 'delete', resource: 'virtualmachines', name: 'a', status: 500, when: 'after' });
    expect((await fixture.api(`${vmPath}/a`, { method: 'DELETE' })).status).toBe(404);
    await fixture.api(vmPath, { method: 'POST', json: halted('a') });
    expect((await fixture.api(`${vmPath}/a`, { method: 'DELETE' })).status).toBe(500);
    expect(fixture.simulator.control.effectCount({ verb: 'delete', resource: 'virtualmachines', name: 'a' })).toBe(1);
    expect(fixture.simulator.control.pendingFaults().failures).toEqual([]);
  });

  it('given a dropped reply armed over HTTP, when the write comes, then it is carried out and the connection closes unanswered', async () => {
    expect((await control('faults/drop', 'POST', { verb: 'create', resource: 'virtualmachines' })).status).toBe(200);
    await expect(fixture.api(vmPath, { method: 'POST', json: halted('lost') })).rejects.toThrow();
    expect((await fixture.api(`${vmPath}/lost`)).status).toBe(200);
    const effects = (await (await control('effects?verb=create&resource=virtualmachines', 'GET')).json()).items;
    expect(effects).toEqual([{ verb: 'create', resource: 'virtualmachines', namespace: ns, name: 'lost', status: 201 }]);
    expect(fixture.simulator.control.requests().filter((r) => r.method === 'POST' && r.path === vmPath).map((r) => r.status)).toEqual([null]);
  });

  it('given a hang, when the request comes, then it is neither carried out nor answered until released, and then answered 504', async () => {
    await fixture.api(vmPath, { method: 'POST', json: vmManifest('h', { runStrategy: 'Manual' }) });
    const { id } = await (await control('faults/hang', 'POST', { verb: 'update', resource: 'virtualmachines/start', name: 'h' })).json();
    let answered = false;
    const start = fixture.api(`/apis/subresources.kubevirt.io/v1/namespaces/${ns}/virtualmachines/h/start`, { method: 'PUT', json: {} }).then((r) => ((answered = true), r));
    await eventually(() => fixture.simulator.control.pendingFaults().hangs[0]?.held === 1, 5000, 'the start held');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(answered).toBe(false);
    expect(fixture.simulator.control.effectCount({ resource: 'virtualmachines/start' })).toBe(0);
    expect((await control(`faults/hang/${id}/release`, 'POST', {})).status).toBe(200);
    const response = await start;
    expect(response.status).toBe(504);
    expect(await response.json()).toMatchObject({ reason: 'Timeout', code: 504 });
    expect(fixture.simulator.control.effectCount({ resource: 'virtualmachines/start' })).toBe(0);
    expect((await (await fixture.api(`${vmPath}/h`)).json()).status?.printableStatus).toBe('Stopped');
    expect((await control(`faults/hang/${id}/release`, 'POST', {})).status).toBe(404);
  });

  it('given a hang released to proceed, when it is released, then the request is carried out and answered as usual', async () => {
    const hang = fixture.simulator.control.hangNext({ verb: 'create', resource: 'virtualmachines' });
    const created = fixture.api(vmPath, { method: 'POST', json: halted('late') });
    await eventually(() => fixture.simulator.control.pendingFaults().hangs[0]?.held === 1, 5000, 'the create held');
    expect((await fixture.api(`${vmPath}/late`)).status).toBe(404);
    hang.release({ proceed: true });
    expect((await created).status).toBe(201);
    expect(fixture.simulator.control.effectCount({ verb: 'create', name: 'late' })).toBe(1);
  });

  it('given a hung request whose client gives up, when released to proceed, then it is never carried out', async () => {
    const hang = fixture.simulator.control.hangNext({ verb: 'create', resource: 'virtualmachines' });
    const abort = new AbortController();
    const created = fixture.api(vmPath, { method: 'POST', json: halted('gone'), signal: abort.signal });
    await eventually(() => fixture.simulator.control.pendingFaults().hangs[0]?.held === 1, 5000, 'the create held');
    abort.abort();
    await expect(created).rejects.toThrow();
    await new Promise((resolve) => setTimeout(resolve, 50));
    hang.release({ proceed: true });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await fixture.api(`${vmPath}/gone`)).status).toBe(404);
    expect(fixture.simulator.control.effectCount({ name: 'gone' })).toBe(0);
  });

  it('given reads, dry runs and refused writes, then only carried-out writes are effects; actions and patches name their object', async () => {
    await fixture.api(vmPath, { method: 'POST', json: halted('e') });
    await fixture.api(`${vmPath}?dryRun=All`, { method: 'POST', json: halted('dry') });
    await fixture.api(vmPath);
    await fixture.api(`${vmPath}/e`, { method: 'PATCH', headers: { 'Content-Type': 'application/merge-patch+json' }, body: '{"spec":{"runStrategy":"Manual"}}' });
    await fixture.api(`/apis/subresources.kubevirt.io/v1/namespaces/${ns}/virtualmachines/e/start`, { method: 'PUT', json: {} });
    await fixture.api(`/apis/subresources.kubevirt.io/v1/namespaces/${ns}/virtualmachines/e/start`, { method: 'PUT', json: {} }); // 409: already running
    expect(fixture.simulator.control.effects().map((e) => `${e.verb} ${e.resource} ${e.name}`)).toEqual([
      `create namespaces ${ns}`, 'create virtualmachines e', 'patch virtualmachines e', 'update virtualmachines/start e',
    ]);
    expect((await control('effects', 'DELETE')).status).toBe(200);
    expect(fixture.simulator.control.effects()).toEqual([]);
  });

  it('given a failure armed over HTTP for migrations, when migrating, then the migration fails', async () => {
    await fixture.api(vmPath, { method: 'POST', json: vmManifest('web-01') });
    await eventually(async () => (await (await fixture.api(`${vmPath}/web-01`)).json()).status?.printableStatus === 'Running', 10000, 'Running');
    expect((await control('migrations/fail-next', 'POST', { reason: 'boom' })).status).toBe(200);
    await fixture.api(`/apis/subresources.kubevirt.io/v1/namespaces/${ns}/virtualmachines/web-01/migrate`, { method: 'PUT', json: {} });
    await eventually(async () => {
      const list = await (await fixture.api(`/apis/kubevirt.io/v1/namespaces/${ns}/virtualmachineinstancemigrations`)).json();
      return list.items[0]?.status?.phase === 'Failed' && list.items[0].status.migrationState.failureReason === 'boom';
    }, 10000, 'migration failed');
  });
});

describe('cluster simulator: persistence', () => {
  it('given a state file, when the simulator restarts, then objects, resourceVersions and running VMs are back and old watches get 410', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vp-sim-'));
    const stateFile = join(dir, 'state.json');
    const nodes = [{ name: 'node-1', cpu: 8, memoryMiB: 16384 }];
    try {
      const first = await startClusterSimulator({ nodes, stepMs: 5, stateFile });
      const token = /token: (\S+)/.exec(first.kubeconfig())![1]!;
      const call = (url: string, path: string, init: RequestInit = {}): Promise<JsonResponse> => fetch(`${url}${path}`, { ...init, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' } });
      await call(first.url, '/api/v1/namespaces', { method: 'POST', body: JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }) });
      await call(first.url, vmPath, { method: 'POST', body: JSON.stringify(vmManifest('web-01')) });
      await eventually(async () => (await (await call(first.url, `${vmPath}/web-01`)).json()).status?.printableStatus === 'Running', 10000, 'Running');
      const before = await (await call(first.url, `${vmPath}/web-01`)).json();
      const list = await (await call(first.url, vmPath)).json();
      await first.close();

      const second = await startClusterSimulator({ nodes, stepMs: 5, stateFile });
      const secondToken = /token: (\S+)/.exec(second.kubeconfig())![1]!;
      const call2 = (path: string): Promise<JsonResponse> => fetch(`${second.url}${path}`, { headers: { Authorization: `Bearer ${secondToken}` } });
      try {
        const after = await (await call2(`${vmPath}/web-01`)).json();
        expect(after.metadata.uid).toBe(before.metadata.uid);
        expect(second.control.effectCount({ verb: 'create', resource: 'virtualmachines', name: 'web-01' })).toBe(1);
        expect(Number(after.metadata.resourceVersion)).toBeGreaterThanOrEqual(Number(before.metadata.resourceVersion));
        expect(after.status.printableStatus).toBe('Running');
        const relisted = await (await call2(vmPath)).json();
        expect(Number(relisted.metadata.resourceVersion)).toBeGreaterThanOrEqual(Number(list.metadata.resourceVersion));
        const watch = await call2(`${vmPath}?watch=true&resourceVersion=1`);
        const text = await watch.text();
        expect(JSON.parse(text.trim())).toMatchObject({ type: 'ERROR', object: { code: 410 } });
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
