import type { V1Pod } from '@kubernetes/client-node';
import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { observePodResize } from '../../../src/adapters/kubernetes/kubevirt/kubevirt-observations.js';
import { createNamespace, eventually, ns, startFixture, type SimulatorFixture } from './simulator-fixture.js';

const pod = (name: string, cpu: string, memory: string, node?: string) => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name },
  spec: { ...(node ? { nodeSelector: { 'kubernetes.io/hostname': node } } : {}), containers: [{ name: 'compute', image: 'busybox', resources: { requests: { cpu, memory }, limits: { cpu, memory } } }] },
});

describe('cluster simulator: in-place pod resize (pods/resize)', () => {
  let fixture: SimulatorFixture;
  beforeEach(async () => {
    fixture = await startFixture({ nodes: [{ name: 'node-1', cpu: 8, memoryMiB: 16384 }] });
    await createNamespace(fixture);
  });
  afterEach(async () => fixture.simulator.close());

  const read = (name: string) => fixture.core.readNamespacedPod({ namespace: ns, name });
  const running = (name: string) => eventually(async () => ((await read(name)).status?.phase === 'Running' ? true : undefined), 10000, `${name} Running`);
  const condition = (p: V1Pod, type: string) => p.status?.conditions?.find((c) => c.type === type);
  const resize = (name: string, cpu: string, memory: string) => fixture.core.patchNamespacedPodResize(
    { namespace: ns, name, body: { spec: { containers: [{ name: 'compute', resources: { requests: { cpu, memory }, limits: { cpu, memory } } }] } } },
    setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
  );

  it('given room on the node, when resized, then PodResizeInProgress and then the new resources in the container status', async () => {
    await fixture.core.createNamespacedPod({ namespace: ns, body: pod('p1', '2', '2Gi') });
    await running('p1');
    const patched = await resize('p1', '4', '4Gi');
    expect(patched.spec?.containers[0]?.resources?.requests).toEqual({ cpu: '4', memory: '4Gi' });
    const done = await eventually(async () => {
      const current = await read('p1');
      const status = current.status?.containerStatuses?.[0];
      return status?.resources?.requests?.cpu === '4' && !condition(current, 'PodResizeInProgress') ? current : undefined;
    }, 10000, 'resize applied');
    expect(done.status?.containerStatuses?.[0]?.allocatedResources).toEqual({ cpu: '4', memory: '4Gi' });
    expect(done.status?.containerStatuses?.[0]?.resources).toEqual({ requests: { cpu: '4', memory: '4Gi' }, limits: { cpu: '4', memory: '4Gi' } });
  });

  it('given a resize beyond the node capacity, when requested, then PodResizePending Infeasible', async () => {
    await fixture.core.createNamespacedPod({ namespace: ns, body: pod('p1', '2', '2Gi') });
    await running('p1');
    await resize('p1', '16', '2Gi');
    const pending = await eventually(async () => condition(await read('p1'), 'PodResizePending'), 5000, 'PodResizePending');
    expect(pending).toMatchObject({ status: 'True', reason: 'Infeasible', message: "Node didn't have enough capacity: cpu, requested: 16000, capacity: 8000" });
  });

  it('given a resize found Infeasible, when resized back, then the answer carries that Infeasible for the earlier generation only, and the adapter reads it as not yet seen', async () => {
    await fixture.core.createNamespacedPod({ namespace: ns, body: pod('p1', '2', '2Gi') });
    await running('p1');
    await resize('p1', '16', '2Gi');
    await eventually(async () => condition(await read('p1'), 'PodResizePending'), 5000, 'PodResizePending');
    const back = await resize('p1', '2', '2Gi');
    // the write answers before the kubelet's next step: the condition is still there, for the earlier spec
    expect(condition(back, 'PodResizePending')).toMatchObject({ reason: 'Infeasible', observedGeneration: back.metadata!.generation! - 1 });
    expect(observePodResize(back).state).toBe('Pending');
    await eventually(async () => (observePodResize(await read('p1')).state === 'Done' ? true : undefined), 5000, 'the shrink seen as done');
    expect(condition(await read('p1'), 'PodResizePending')).toBeUndefined();
  });

  it('given another pod holding the room, when resized, then Deferred until that pod goes, then applied', async () => {
    await fixture.core.createNamespacedPod({ namespace: ns, body: pod('p1', '2', '2Gi') });
    await fixture.core.createNamespacedPod({ namespace: ns, body: pod('p2', '5', '2Gi') });
    await running('p1');
    await running('p2');
    await resize('p1', '4', '2Gi');
    const deferred = await eventually(async () => condition(await read('p1'), 'PodResizePending'), 5000, 'Deferred');
    expect(deferred).toMatchObject({ reason: 'Deferred', message: "Node didn't have enough resource: cpu, requested: 4000, used: 5000, capacity: 8000" });
    await fixture.core.deleteNamespacedPod({ namespace: ns, name: 'p2' });
    await eventually(async () => (await read('p1')).status?.containerStatuses?.[0]?.resources?.requests?.cpu === '4', 10000, 'applied after room appeared');
    expect(condition(await read('p1'), 'PodResizePending')).toBeUndefined();
  });

  it('given a resize that touches anything but resources, when sent to /resize, then 422', async () => {
    await fixture.core.createNamespacedPod({ namespace: ns, body: pod('p1', '1', '1Gi') });
    const response = await fixture.api(`/api/v1/namespaces/${ns}/pods/p1/resize`, {
      method: 'PATCH', headers: { 'Content-Type': 'application/merge-patch+json' }, body: JSON.stringify({ metadata: { labels: { a: 'b' } }, spec: { restartPolicy: 'Never' } }),
    });
    expect(response.status).toBe(422);
  });
});
