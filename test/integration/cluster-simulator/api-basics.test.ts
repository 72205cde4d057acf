import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { createNamespace, ns, startFixture, vmManifest, type SimulatorFixture } from './simulator-fixture.js';

const vmPath = `/apis/kubevirt.io/v1/namespaces/${ns}/virtualmachines`;
const halted = (name: string) => vmManifest(name, { runStrategy: 'Halted' });

describe('cluster simulator: Kubernetes API semantics', () => {
  let fixture: SimulatorFixture;
  beforeEach(async () => {
    fixture = await startFixture();
    await createNamespace(fixture);
  });
  afterEach(async () => fixture.simulator.close());

  it('given a created VM, when read back, then it carries server metadata and a 201 on create', async () => {
    const response = await fixture.api(vmPath, { method: 'POST', json: halted('web-01') });
    expect(response.status).toBe(201);
    const created = await response.json();
    expect(created.metadata).toMatchObject({ name: 'web-01', namespace: ns, generation: 1 });
    expect(created.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.metadata.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const read = await fixture.custom.getNamespacedCustomObject({ group: 'kubevirt.io', version: 'v1', namespace: ns, plural: 'virtualmachines', name: 'web-01' });
    expect(read.metadata.uid).toBe(created.metadata.uid);
  });

  it('given an existing name, when created again, then 409 AlreadyExists as a Status', async () => {
    await fixture.api(vmPath, { method: 'POST', json: halted('web-01') });
    const response = await fixture.api(vmPath, { method: 'POST', json: halted('web-01') });
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'AlreadyExists', code: 409, message: 'virtualmachines.kubevirt.io "web-01" already exists' });
  });

  it('given no such object, when read, then 404 NotFound', async () => {
    const response = await fixture.api(`${vmPath}/nope`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ reason: 'NotFound', details: { name: 'nope', group: 'kubevirt.io', kind: 'virtualmachines' } });
  });

  it('given a namespace that does not exist, when creating in it, then 404 for the namespace', async () => {
    const response = await fixture.api('/apis/kubevirt.io/v1/namespaces/ghost/virtualmachines', { method: 'POST', json: halted('web-01') });
    expect(response.status).toBe(404);
    expect((await response.json()).message).toBe('namespaces "ghost" not found');
  });

  it('given a VM spec with an unknown field, when created, then 422 Invalid with the field as cause', async () => {
    const manifest = halted('web-01') as { spec: { template: { spec: { domain: Record<string, unknown> } } } };
    manifest.spec.template.spec.domain.cpuu = { sockets: 2 };
    const response = await fixture.api(vmPath, { method: 'POST', json: manifest });
    expect(response.status).toBe(422);
    const status = await response.json();
    expect(status.reason).toBe('Invalid');
    expect(status.details.causes).toContainEqual(expect.objectContaining({ field: 'spec.template.spec.domain.cpuu', reason: 'FieldValueInvalid' }));
  });

  it('given a mistyped spec field, when created, then 422', async () => {
    const manifest = halted('web-01') as { spec: { template: { spec: { domain: { cpu: Record<string, unknown> } } } } };
    manifest.spec.template.spec.domain.cpu.sockets = 'two';
    const response = await fixture.api(vmPath, { method: 'POST', json: manifest });
    expect(response.status).toBe(422);
    expect((await response.json()).details.causes).toContainEqual(expect.objectContaining({ field: 'spec.template.spec.domain.cpu.sockets', reason: 'FieldValueTypeInvalid' }));
  });

  it('given a pod with numeric quantities, when created, then it is accepted (the real server takes numbers)', async () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p1' }, spec: { containers: [{ name: 'c', image: 'busybox', resources: { requests: { cpu: 1, memory: '64Mi' } } }] } };
    const response = await fixture.api(`/api/v1/namespaces/${ns}/pods`, { method: 'POST', json: pod });
    expect(response.status).toBe(201);
  });

  it('given a VM, when merge-patched, json-patched and strategic-merge-patched, then 200, 200 and 415', async () => {
    await fixture.api(vmPath, { method: 'POST', json: halted('web-01') });
    const merge = await fixture.custom.patchNamespacedCustomObject(
      { group: 'kubevirt.io', version: 'v1', namespace: ns, plural: 'virtualmachines', name: 'web-01', body: { metadata: { labels: { tier: 'web' } }, spec: { runStrategy: 'Manual' } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(merge.metadata.labels).toEqual({ tier: 'web' });
    expect(merge.metadata.generation).toBe(2);
    // The VM controller writes status meanwhile: guard on a fresh read, and read again when the guard's test fails (422).
    const guardedJsonPatch = async () => {
      for (let attempt = 1; ; attempt++) {
        const fresh = await fixture.custom.getNamespacedCustomObject({ group: 'kubevirt.io', version: 'v1', namespace: ns, plural: 'virtualmachines', name: 'web-01' });
        try {
          return await fixture.custom.patchNamespacedCustomObject(
            { group: 'kubevirt.io', version: 'v1', namespace: ns, plural: 'virtualmachines', name: 'web-01', body: [
              { op: 'test', path: '/metadata/resourceVersion', value: fresh.metadata.resourceVersion },
              { op: 'replace', path: '/spec/runStrategy', value: 'Halted' },
            ] },
            setHeaderOptions('Content-Type', PatchStrategy.JsonPatch),
          );
        } catch (error) {
          if ((error as { code?: number }).code !== 422 || attempt === 20) throw error;
        }
      }
    };
    const json = await guardedJsonPatch();
    expect(json.spec.runStrategy).toBe('Halted');
    const strategic = await fixture.api(`${vmPath}/web-01`, { method: 'PATCH', headers: { 'Content-Type': 'application/strategic-merge-patch+json' }, body: '{"spec":{}}' });
    expect(strategic.status).toBe(415);
    expect(await strategic.json()).toMatchObject({ reason: 'UnsupportedMediaType', code: 415 });
  });

  it('given an apply patch (JSON form), when the object is missing and then present, then 201 creates it and 200 merges into it', async () => {
    const apply = (body: unknown) => fixture.api(`${vmPath}/web-01?fieldManager=virtplane`, { method: 'PATCH', headers: { 'Content-Type': 'application/apply-patch+yaml' }, body: JSON.stringify(body) });
    expect((await apply(halted('web-01'))).status).toBe(201);
    const second = await apply({ apiVersion: 'kubevirt.io/v1', kind: 'VirtualMachine', metadata: { name: 'web-01', labels: { a: 'b' } } });
    expect(second.status).toBe(200);
    expect((await second.json()).metadata.labels).toEqual({ a: 'b' });
  });

  it('given a stale resourceVersion, when PUT or json-patch tested, then 409 Conflict and 422 Invalid', async () => {
    const created = await (await fixture.api(vmPath, { method: 'POST', json: halted('web-01') })).json();
    await fixture.api(`${vmPath}/web-01`, { method: 'PATCH', headers: { 'Content-Type': 'application/merge-patch+json' }, body: '{"metadata":{"labels":{"a":"b"}}}' });
    const put = await fixture.api(`${vmPath}/web-01`, { method: 'PUT', json: created });
    expect(put.status).toBe(409);
    expect((await put.json()).message).toBe('Operation cannot be fulfilled on virtualmachines.kubevirt.io "web-01": the object has been modified; please apply your changes to the latest version and try again');
    const test = await fixture.api(`${vmPath}/web-01`, {
      method: 'PATCH', headers: { 'Content-Type': 'application/json-patch+json' },
      body: JSON.stringify([{ op: 'test', path: '/metadata/resourceVersion', value: created.metadata.resourceVersion }, { op: 'replace', path: '/spec/runStrategy', value: 'Always' }]),
    });
    expect(test.status).toBe(422);
    const mergeWithStaleVersion = await fixture.api(`${vmPath}/web-01`, { method: 'PATCH', headers: { 'Content-Type': 'application/merge-patch+json' }, body: JSON.stringify({ metadata: { resourceVersion: created.metadata.resourceVersion } }) });
    expect(mergeWithStaleVersion.status).toBe(409);
  });

  it('given VM status, when written through the main resource, then ignored; through /status, then kept and generation unchanged', async () => {
    await fixture.api(vmPath, { method: 'POST', json: halted('web-01') });
    // The controllers write the VM's status meanwhile: a replace is read-modify-write, retried on 409 as clients do.
    const replace = async (path: string, edit: (current: any) => object) => { // eslint-disable-line @typescript-eslint/no-explicit-any
      for (let attempt = 1; ; attempt++) {
        const current = await (await fixture.api(`${vmPath}/web-01`)).json();
        const response = await fixture.api(path, { method: 'PUT', json: edit(current) });
        if (response.status !== 409 || attempt === 20) return { current, response, body: await response.json() };
      }
    };
    const main = await replace(`${vmPath}/web-01`, (current) => ({ ...current, status: { printableStatus: 'Bogus' } }));
    expect(main.response.status).toBe(200);
    expect(main.body.status?.printableStatus).not.toBe('Bogus');
    const viaStatus = await replace(`${vmPath}/web-01/status`, (fresh) => ({ ...fresh, spec: { ...fresh.spec, runStrategy: 'Always' }, status: { ...fresh.status, printableStatus: 'Bogus' } }));
    expect(viaStatus.response.status).toBe(200);
    expect(viaStatus.body.status.printableStatus).toBe('Bogus');
    expect(viaStatus.body.spec.runStrategy).toBe('Halted');
    expect(viaStatus.body.metadata.generation).toBe(viaStatus.current.metadata.generation);
  });

  it('given labelled VMs, when listed with label and field selectors, then only matches come back, with the list resourceVersion', async () => {
    for (const [name, tier] of [['a', 'web'], ['b', 'db'], ['c', 'web']] as const) {
      const manifest = halted(name) as { metadata: Record<string, unknown> };
      manifest.metadata.labels = { tier, ...(name === 'c' ? { canary: 'yes' } : {}) };
      await fixture.api(vmPath, { method: 'POST', json: manifest });
    }
    const names = async (query: string) => ((await (await fixture.api(`${vmPath}?${query}`)).json()).items as Array<{ metadata: { name: string } }>).map((i) => i.metadata.name);
    expect(await names('labelSelector=tier%3Dweb')).toEqual(['a', 'c']);
    expect(await names('labelSelector=tier%3D%3Dweb,canary')).toEqual(['c']);
    expect(await names('labelSelector=tier!%3Dweb')).toEqual(['b']);
    expect(await names('labelSelector=tier%20in%20(db,web),!canary')).toEqual(['a', 'b']);
    expect(await names('labelSelector=tier%20notin%20(web)')).toEqual(['b']);
    expect(await names('fieldSelector=metadata.name%3Db')).toEqual(['b']);
    const list = await fixture.custom.listNamespacedCustomObject({ group: 'kubevirt.io', version: 'v1', namespace: ns, plural: 'virtualmachines', labelSelector: 'tier=web' });
    expect(list.items).toHaveLength(2);
    expect(Number(list.metadata.resourceVersion)).toBeGreaterThan(0);
  });

  it('given a secret with data, when created through CoreV1Api, then read back; bad base64 is 422', async () => {
    await fixture.core.createNamespacedSecret({ namespace: ns, body: { metadata: { name: 'userdata' }, stringData: { userdata: '#cloud-config' }, data: { x: Buffer.from('y').toString('base64') } } });
    const secret = await fixture.core.readNamespacedSecret({ namespace: ns, name: 'userdata' });
    expect(secret.data?.x).toBe('eQ==');
    const bad = await fixture.api(`/api/v1/namespaces/${ns}/secrets`, { method: 'POST', json: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'bad' }, data: { x: '***' } } });
    expect(bad.status).toBe(422);
  });

  it('given discovery, when client-node asks, then /api, /apis, the group resource lists and /version answer', async () => {
    const apis = await (await fixture.api('/apis')).json();
    expect(apis.groups.map((g: { name: string }) => g.name)).toEqual(expect.arrayContaining(['kubevirt.io', 'cdi.kubevirt.io', 'k8s.cni.cncf.io', 'subresources.kubevirt.io']));
    const kubevirt = await (await fixture.api('/apis/kubevirt.io/v1')).json();
    expect(kubevirt.resources.map((r: { name: string }) => r.name)).toEqual(expect.arrayContaining(['virtualmachines', 'virtualmachines/status', 'virtualmachineinstances', 'virtualmachineinstancemigrations']));
    expect((await (await fixture.api('/api')).json()).versions).toEqual(['v1']);
    expect((await (await fixture.api('/api/v1')).json()).resources.map((r: { name: string }) => r.name)).toEqual(expect.arrayContaining(['pods', 'pods/resize', 'pods/exec', 'secrets', 'namespaces', 'nodes']));
    expect((await (await fixture.api('/version')).json()).minor).toBe('36');
  });

  it('given the configured nodes, when listed, then capacity is reported', async () => {
    const nodes = await fixture.core.listNode();
    expect(nodes.items.map((n) => [n.metadata?.name, n.status?.capacity?.cpu, n.status?.capacity?.memory])).toEqual([['node-1', '8', '16384Mi'], ['node-2', '8', '16384Mi']]);
  });

  it('given no bearer token, when calling, then 401', async () => {
    const response = await fetch(`${fixture.simulator.url}/api/v1/namespaces`);
    expect(response.status).toBe(401);
  });

  it('given a VM with a finalizer, when deleted, then it gets a deletionTimestamp and goes once the finalizer is removed', async () => {
    const manifest = halted('web-01') as { metadata: Record<string, unknown> };
    manifest.metadata.finalizers = ['example.com/hold'];
    await fixture.api(vmPath, { method: 'POST', json: manifest });
    const deleted = await (await fixture.api(`${vmPath}/web-01`, { method: 'DELETE' })).json();
    expect(deleted.metadata.deletionTimestamp).toBeDefined();
    const current = await (await fixture.api(`${vmPath}/web-01`)).json();
    const finalizers = current.metadata.finalizers.filter((f: string) => f !== 'example.com/hold');
    await fixture.api(`${vmPath}/web-01`, { method: 'PATCH', headers: { 'Content-Type': 'application/merge-patch+json' }, body: JSON.stringify({ metadata: { finalizers } }) });
    const { eventually } = await import('./simulator-fixture.js');
    await eventually(async () => (await fixture.api(`${vmPath}/web-01`)).status === 404, 5000, 'VM gone');
  });
});
