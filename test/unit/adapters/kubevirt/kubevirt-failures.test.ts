import { PermanentAdapterError, TransientAdapterError } from '../../../../src/adapters/adapter-errors.js';
import type { VmSpec } from '../../../../src/adapters/kubernetes/cluster.port.js';
import { seedRunningVm } from '../../../support/kube/kubevirt-fixtures.js';
import { useRecordingCluster } from '../../../support/kube/recording-cluster.js';

const NAMESPACE = 'tenant-a';
const REF = { namespace: NAMESPACE, name: 'web-01' };
const VM_PATH = `/apis/kubevirt.io/v1/namespaces/${NAMESPACE}/virtualmachines/web-01`;

const spec: VmSpec = {
  ref: REF,
  vmId: 'vm-id-1',
  projectId: 'tenant-a',
  cpu: { sockets: 2, maxSockets: 8 },
  memory: { guestMiB: 2048, maxGuestMiB: 8192 },
  image: 'docker://quay.io/containerdisks/fedora:41',
  userData: null,
  runStrategy: 'Halted',
  labels: {},
};

describe('KubevirtCluster: how API failures surface', () => {
  const k = useRecordingCluster({ requestTimeoutMs: 2000 });

  it('given a NIC edit that conflicts twice, when attached, then it re-reads and retries and the NIC lands once', async () => {
    await k.cluster.ensureVm(spec);
    k.server.failNext('PATCH', /virtualmachines\/web-01$/, 409, 2);
    await k.cluster.attachNic(REF, { name: 'dyn1', network: { namespace: REF.namespace, name: 'storage-net' } });
    const patches = k.server.requests.filter((r) => r.method === 'PATCH');
    expect(patches).toHaveLength(3);
    const interfaces = (k.server.get(VM_PATH)!.spec as { template: { spec: { domain: { devices: { interfaces: { name: string }[] } } } } }).template.spec.domain.devices.interfaces;
    expect(interfaces.map((i) => i.name)).toEqual(['default', 'dyn1']);
  });

  it('given a VM changed by someone else after our read, when a NIC is attached, then the stale resourceVersion is refused and the retry keeps their change', async () => {
    await k.cluster.ensureVm(spec);
    // A controller writes between our GET and our PATCH.
    k.server.beforeNext('PATCH', /virtualmachines\/web-01$/, () => {
      const current = k.server.get(VM_PATH)!;
      k.server.put(VM_PATH, { ...current, metadata: { ...current.metadata, labels: { ...(current.metadata.labels as object), touched: 'yes' } } });
    });
    await k.cluster.attachNic(REF, { name: 'dyn1', network: { namespace: REF.namespace, name: 'storage-net' } });
    const patches = k.server.requests.filter((r) => r.method === 'PATCH');
    expect(patches).toHaveLength(2);
    const stored = k.server.get(VM_PATH)!;
    expect((stored.metadata.labels as Record<string, string>).touched).toBe('yes');
    const interfaces = (stored.spec as { template: { spec: { domain: { devices: { interfaces: { name: string }[] } } } } }).template.spec.domain.devices.interfaces;
    expect(interfaces.map((i) => i.name)).toEqual(['default', 'dyn1']);
  });

  it('given conflicts that persist, when attached, then it gives up with a transient Conflict', async () => {
    await k.cluster.ensureVm(spec);
    k.server.failNext('PATCH', /virtualmachines\/web-01$/, 409, 10);
    const error = await k.cluster.attachNic(REF, { name: 'dyn1', network: { namespace: REF.namespace, name: 'storage-net' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransientAdapterError);
    expect(error).toMatchObject({ code: 'Conflict' });
  });

  it('given the k.server refuses the object with 422, when ensured, then it fails permanently with the k.server message', async () => {
    k.server.failNext('POST', /virtualmachines$/, 422, 1, 'VirtualMachine.kubevirt.io "web-01" is invalid: spec.template.spec.domain.cpu.sockets: Invalid value');
    const error = await k.cluster.ensureVm(spec).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermanentAdapterError);
    expect(error).toMatchObject({ code: 'Invalid', retryable: false });
    expect((error as Error).message).toContain('spec.template.spec.domain.cpu.sockets: Invalid value');
  });

  it('given the API k.server is unreachable for a while, when called, then calls fail transiently and succeed once it is back', async () => {
    const port = k.server.port;
    await k.server.stop();
    for (const call of [() => k.cluster.getVm(REF), () => k.cluster.ensureVm(spec), () => k.cluster.startVm(REF)]) {
      const error = await call().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TransientAdapterError);
      expect(error).toMatchObject({ code: 'Unreachable', retryable: true });
    }
    await k.server.start(port);
    expect((await k.cluster.ensureVm(spec)).vmId).toBe('vm-id-1');
  });

  it('given a 503, when called, then it is a transient ServerError', async () => {
    k.server.failNext('GET', /virtualmachines\/web-01$/, 503);
    await expect(k.cluster.getVm(REF)).rejects.toMatchObject({ code: 'ServerError', retryable: true });
  });

  it('given an absent VM, when an action is asked, then it is VmNotFound; an absent VM reads as null and deletes as done', async () => {
    await expect(k.cluster.startVm(REF)).rejects.toMatchObject({ code: 'VmNotFound', retryable: false });
    expect(await k.cluster.getVm(REF)).toBeNull();
    await k.cluster.deleteVm(REF);
  });

  it('given a VM under another vmId, when ensured, then AlreadyExists', async () => {
    await k.cluster.ensureVm(spec);
    await expect(k.cluster.ensureVm({ ...spec, vmId: 'other' })).rejects.toMatchObject({ code: 'AlreadyExists', retryable: false });
  });

  it('given a running VM, when its VMI is read, then interfaces, CPU topology and memory are reported', async () => {
    seedRunningVm(k.server, NAMESPACE, 'web-01');
    expect(await k.cluster.getVmi(REF)).toMatchObject({
      phase: 'Running',
      node: 'node-a',
      interfaces: [{ name: 'default', ipAddress: '10.20.0.15', mac: '02:00:00:0a:14:0f' }],
      cpu: { sockets: 2, cores: 1, threads: 1 },
      memoryMiB: { guestAtBoot: 2048, guestRequested: 2048, guestCurrent: 2048 },
    });
  });

  it('given a resize the kubelet defers or cannot fit, when read, then the state says so with the reason instead of waiting', async () => {
    seedRunningVm(k.server, NAMESPACE, 'web-01');
    const podPath = `/api/v1/namespaces/${NAMESPACE}/pods/virt-launcher-web-01-abcde`;
    await k.cluster.resizeLauncherPod(REF, { vcpus: 64, memoryMiB: 4608 });
    const pod = k.server.get(podPath)!;
    k.server.put(podPath, { ...pod, status: { ...(pod.status as object), conditions: [{ type: 'PodResizePending', status: 'True', reason: 'Infeasible', message: 'Node didn\'t have enough capacity: cpu, requested: 64000, capacity: 8000' }] } });
    expect(await k.cluster.getPodResize(REF)).toMatchObject({ state: 'Infeasible', message: expect.stringContaining('capacity') });
    k.server.put(podPath, { ...pod, status: { ...(pod.status as object), conditions: [{ type: 'PodResizePending', status: 'True', reason: 'Deferred' }] } });
    expect(await k.cluster.getPodResize(REF)).toMatchObject({ state: 'Deferred' });
  });
});
