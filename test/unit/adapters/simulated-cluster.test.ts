import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { VmChange, VmSpec } from '../../../src/adapters/kubernetes/cluster.port.js';
import { SimulatedCluster } from '../../../src/adapters/kubernetes/simulated-cluster.js';
import { SimulatedHypervisor } from '../../../src/adapters/libvirt/simulated-hypervisor.js';
import { vmSpec } from '../../contract/cluster/cluster.contract.js';
import { eventually } from '../../support/eventually.js';

describe('SimulatedCluster', () => {
  const sims: { close(): void }[] = [];
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'sim-cluster-'))));
  afterEach(() => {
    for (const sim of sims.splice(0)) sim.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const track = <T extends { close(): void }>(sim: T): T => (sims.push(sim), sim);
  const runningOn = async (cluster: SimulatedCluster, spec: VmSpec) =>
    eventually(async () => {
      const vm = await cluster.getVm(spec.ref);
      expect(vm?.printableStatus).toBe('Running');
      return vm!;
    });

  it('given a VM started, when watched, then every phase is reported in order', async () => {
    const cluster = track(new SimulatedCluster());
    const changes: VmChange[] = [];
    cluster.watchVms((change) => changes.push(change));
    const spec = vmSpec('ns');
    await cluster.ensureVm(spec);
    await runningOn(cluster, spec);
    expect(changes.map((c) => c.vm.vmiPhase)).toEqual([null, 'Pending', 'Scheduling', 'Scheduled', 'Running']);
    expect(changes.map((c) => c.vm.printableStatus)).toEqual(['Starting', 'Starting', 'Starting', 'Starting', 'Running']);
  });

  it('given a VM ensured, started and stopped repeatedly, then each effect is counted once and calls every time', async () => {
    const cluster = track(new SimulatedCluster());
    const spec = vmSpec('ns', { runStrategy: 'Halted' });
    await cluster.ensureVm(spec);
    await cluster.ensureVm(spec);
    await cluster.startVm(spec.ref);
    await cluster.startVm(spec.ref);
    await runningOn(cluster, spec);
    expect(cluster.effects.count('createVm', spec.vmId)).toBe(1);
    expect(cluster.effects.count('startVm', spec.vmId)).toBe(1);
    expect(cluster.effects.count('createVmi', spec.vmId)).toBe(1);
    expect(cluster.calls.count('ensureVm', 'ns/' + spec.ref.name)).toBe(2);
    expect(cluster.calls.count('startVm')).toBe(2);
  });

  it('given a state file, when the process is replaced mid-start, then the new one finishes the start and creates nothing twice', async () => {
    const stateFile = join(dir, 'cluster.json');
    const first = new SimulatedCluster({ stateFile, latency: { boot: 60_000 } });
    const spec = vmSpec('ns');
    const created = await first.ensureVm(spec);
    await eventually(async () => expect((await first.getVm(spec.ref))?.vmiPhase).toBe('Scheduled'));
    first.close();

    const second = track(new SimulatedCluster({ stateFile }));
    expect((await second.ensureVm(spec)).uid).toBe(created.uid);
    const vm = await runningOn(second, spec);
    expect(vm.uid).toBe(created.uid);
    expect(second.effects.count('createVm', spec.vmId)).toBe(1);
    expect(second.effects.count('createVmi', spec.vmId)).toBe(1);
  });

  it('given a hypervisor, when a VM runs, pauses and stops, then its domain follows', async () => {
    const hypervisor = track(new SimulatedHypervisor());
    const cluster = track(new SimulatedCluster({ domains: hypervisor }));
    const spec = vmSpec('ns', { cpu: { sockets: 2, maxSockets: 6 }, memory: { guestMiB: 1024, maxGuestMiB: 4096 } });
    await cluster.ensureVm(spec);
    const vm = await runningOn(cluster, spec);
    const ref = { vmId: spec.vmId, node: vm.node! };
    expect(await hypervisor.getDomain(ref)).toMatchObject({ state: 'running', vcpus: { current: 2, max: 6 }, memoryMiB: { current: 1024, max: 4096 } });
    await cluster.pauseVm(spec.ref);
    expect((await hypervisor.getDomain(ref))?.state).toBe('paused');
    await cluster.stopVm(spec.ref);
    await eventually(async () => expect(await hypervisor.getDomain(ref)).toBeNull());
  });

  it('given a node that is not ready, when a VM needs it, then the VM waits unschedulable and runs once the node is ready', async () => {
    const cluster = track(new SimulatedCluster({ nodes: [{ name: 'n1', cpu: 4, memoryMiB: 4096, ready: false }] }));
    const spec = vmSpec('ns', { memory: { guestMiB: 1024, maxGuestMiB: 1024 } });
    await cluster.ensureVm(spec);
    const stuck = await eventually(async () => {
      const vm = await cluster.getVm(spec.ref);
      expect(vm?.printableStatus).toBe('ErrorUnschedulable');
      return vm!;
    });
    expect(stuck.conditions.find((c) => c.type === 'PodScheduled')?.message).toMatch(/^0\/1 nodes are available: .*not-ready/);
    cluster.setNodeReady('n1', true);
    expect((await runningOn(cluster, spec)).node).toBe('n1');
  });

  it('given a VM starting, when paused, then it is told to retry (not running yet)', async () => {
    const cluster = track(new SimulatedCluster({ latency: { boot: 60_000 } }));
    const spec = vmSpec('ns');
    await cluster.ensureVm(spec);
    await expect(cluster.pauseVm(spec.ref)).rejects.toMatchObject({ code: 'VmNotRunningYet', retryable: true });
  });
});
