import { useRecordingCluster } from '../../../support/kube/recording-cluster.js';

const NS = 'vp-a';
const kv = `/apis/kubevirt.io/v1/namespaces/${NS}`;
const changed = '2026-11-22T10:00:00Z';

describe('KubevirtCluster: reading a live update', () => {
  const k = useRecordingCluster();
  beforeEach(async () => {
    k.server.put(`${kv}/virtualmachines/web-01`, { apiVersion: 'kubevirt.io/v1', kind: 'VirtualMachine', metadata: { name: 'web-01', namespace: NS }, spec: {}, status: {} });
  });

  const vmi = (migrationState: Record<string, unknown>) => ({
    apiVersion: 'kubevirt.io/v1', kind: 'VirtualMachineInstance', metadata: { name: 'web-01', namespace: NS },
    status: { phase: 'Running', nodeName: 'node-1', conditions: [{ type: 'HotVCPUChange', status: 'True', lastTransitionTime: changed }], migrationState },
  });
  const failedMigration = {
    apiVersion: 'kubevirt.io/v1', kind: 'VirtualMachineInstanceMigration',
    metadata: { name: 'kubevirt-workload-update-abcde', namespace: NS, uid: 'mig-1', creationTimestamp: '2026-11-22T10:00:01Z' },
    spec: { vmiName: 'web-01' },
    status: { phase: 'Failed', migrationState: { migrationUid: 'mig-1', completed: true, failed: true, failureReason: 'the target node lost its network' } },
  };

  it("given the migration failed and the VMI's copy of its state has no reason yet, when read, then the reason comes from the migration's own state", async () => {
    k.server.put(`${kv}/virtualmachineinstances/web-01`, vmi({ migrationUid: 'mig-1', completed: false, failed: false }));
    k.server.put(`${kv}/virtualmachineinstancemigrations/${failedMigration.metadata.name}`, failedMigration);
    const seen = await k.cluster.getLiveUpdate({ namespace: NS, name: 'web-01' });
    expect(seen?.migration).toMatchObject({ phase: 'Failed', migrationState: { failed: true, failureReason: 'the target node lost its network' } });
  });

  it("given the VMI's state names the reason, when read, then that reason is kept", async () => {
    k.server.put(`${kv}/virtualmachineinstances/web-01`, vmi({ migrationUid: 'mig-1', completed: true, failed: true, failureReason: 'as the VMI says' }));
    k.server.put(`${kv}/virtualmachineinstancemigrations/${failedMigration.metadata.name}`, failedMigration);
    const seen = await k.cluster.getLiveUpdate({ namespace: NS, name: 'web-01' });
    expect(seen?.migration?.migrationState?.failureReason).toBe('as the VMI says');
  });

  it('given a template change virt-controller has not synced yet (status.desiredGeneration behind metadata.generation), when read, then the verdicts written for the earlier template are not the answer', async () => {
    const vm = (desiredGeneration: number) => ({
      apiVersion: 'kubevirt.io/v1', kind: 'VirtualMachine', metadata: { name: 'web-01', namespace: NS, generation: 3 }, spec: {},
      status: { desiredGeneration, observedGeneration: 1, conditions: [{ type: 'RestartRequired', status: 'True', message: 'Reduction of CPU socket count requires a restart' }] },
    });
    const stale = vmi({ migrationUid: 'mig-1', completed: true, failed: true, failureReason: 'the earlier change' });
    (stale.status.conditions as Array<Record<string, string>>).push({ type: 'HotMemoryChange', status: 'False', message: 'the earlier hotplug failed' });
    k.server.put(`${kv}/virtualmachineinstances/web-01`, stale);
    k.server.put(`${kv}/virtualmachineinstancemigrations/${failedMigration.metadata.name}`, failedMigration);

    k.server.put(`${kv}/virtualmachines/web-01`, vm(2));
    const before = await k.cluster.getLiveUpdate({ namespace: NS, name: 'web-01' });
    expect(before).toMatchObject({ awaitingController: true, restartRequired: null, memoryFailed: null, migration: null });

    k.server.put(`${kv}/virtualmachines/web-01`, vm(3));
    const after = await k.cluster.getLiveUpdate({ namespace: NS, name: 'web-01' });
    expect(after).toMatchObject({ awaitingController: false, restartRequired: 'Reduction of CPU socket count requires a restart', memoryFailed: 'the earlier hotplug failed', migration: { phase: 'Failed' } });
  });
});
