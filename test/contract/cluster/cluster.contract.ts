import { randomUUID } from 'node:crypto';
import { PermanentAdapterError, TransientAdapterError } from '../../../src/adapters/adapter-errors.js';
import type { ClusterOperation, ClusterPort, VmChange, VmObservation, VmRef, VmSpec } from '../../../src/adapters/kubernetes/cluster.port.js';
import type { FaultControl } from '../../../src/adapters/simulation/fault-injector.js';
import { eventually, hasSettled } from '../../support/eventually.js';

export interface ClusterSetup {
  nodes: { name: string; cpu: number; memoryMiB: number }[];
}

/** What the contract needs of one implementation besides the port: setup, faults, the outside world. */
export interface ClusterHarness {
  cluster: ClusterPort;
  /** A namespace no other test uses. */
  namespace: string;
  faults: FaultControl<ClusterOperation>;
  /** Someone stops the VM with virtctl, outside the control plane. */
  stopOutsideOurControl(ref: VmRef): Promise<void>;
  /** The guest dies; KubeVirt replaces the VMI because the run strategy is Always. */
  crash(ref: VmRef): Promise<void>;
  dispose(): Promise<void>;
}

export type MakeClusterHarness = (setup: ClusterSetup) => Promise<ClusterHarness>;

const TWO_NODES: ClusterSetup = {
  nodes: [
    { name: 'node-a', cpu: 8, memoryMiB: 16384 },
    { name: 'node-b', cpu: 8, memoryMiB: 16384 },
  ],
};

let serial = 0;

export function vmSpec(namespace: string, overrides: Partial<VmSpec> = {}): VmSpec {
  serial += 1;
  return {
    ref: { namespace, name: `vm-${serial}` },
    vmId: randomUUID(),
    projectId: 'project-1',
    cpu: { sockets: 2, maxSockets: 8 },
    memory: { guestMiB: 2048, maxGuestMiB: 8192 },
    image: 'docker://quay.io/containerdisks/fedora:41',
    userData: '#cloud-config\nhostname: test\n',
    runStrategy: 'Always',
    labels: { app: 'contract' },
    ...overrides,
  };
}

const WAIT_MS = 10_000;

export function clusterContract(name: string, makeHarness: MakeClusterHarness): void {
  describe(`Cluster contract: ${name}`, () => {
    let harness: ClusterHarness;
    let cluster: ClusterPort;
    let namespace: string;

    async function setUp(setup: ClusterSetup = TWO_NODES): Promise<void> {
      await harness?.dispose();
      harness = await makeHarness(setup);
      cluster = harness.cluster;
      namespace = harness.namespace;
    }

    beforeEach(() => setUp());
    afterEach(() => harness.dispose());

    const get = async (ref: VmRef): Promise<VmObservation> => {
      const vm = await cluster.getVm(ref);
      if (!vm) throw new Error(`VM ${ref.name} is absent`);
      return vm;
    };
    const until = (ref: VmRef, predicate: (vm: VmObservation) => boolean): Promise<VmObservation> =>
      eventually(async () => {
        const vm = await get(ref);
        if (!predicate(vm)) throw new Error(`VM ${ref.name} is ${vm.printableStatus} (vmi ${vm.vmiPhase})`);
        return vm;
      }, WAIT_MS);
    const running = (ref: VmRef) => until(ref, (vm) => vm.printableStatus === 'Running' && vm.vmiPhase === 'Running');
    const stopped = (ref: VmRef) => until(ref, (vm) => vm.printableStatus === 'Stopped' && vm.vmiPhase === null);
    const collect = (ref: VmRef): { changes: VmChange[]; stop(): void } => {
      const changes: VmChange[] = [];
      const watch = cluster.watchVms((change) => {
        if (change.vm.ref.namespace === ref.namespace && change.vm.ref.name === ref.name) changes.push(change);
      });
      return { changes, stop: () => watch.stop() };
    };

    describe('ensureVm', () => {
      it('given no VM, when ensured twice, then one object with one uid exists, labelled with our ids', async () => {
        const spec = vmSpec(namespace);
        const first = await cluster.ensureVm(spec);
        const second = await cluster.ensureVm(spec);
        expect(second.uid).toBe(first.uid);
        expect(first).toMatchObject({ ref: spec.ref, vmId: spec.vmId, exists: true });
        expect(first.labels).toMatchObject({ app: 'contract' });
        expect((await cluster.listVms(namespace)).map((vm) => vm.uid)).toEqual([first.uid]);
      });

      it('given no VM, when ensured concurrently, then one object exists', async () => {
        const spec = vmSpec(namespace);
        const results = await Promise.all([cluster.ensureVm(spec), cluster.ensureVm(spec), cluster.ensureVm(spec)]);
        expect(new Set(results.map((vm) => vm.uid)).size).toBe(1);
        expect(await cluster.listVms(namespace)).toHaveLength(1);
      });

      it('given a VM with the name for another vmId, when ensured, then it is refused permanently', async () => {
        const spec = vmSpec(namespace);
        await cluster.ensureVm(spec);
        const error = await cluster.ensureVm({ ...spec, vmId: randomUUID() }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(PermanentAdapterError);
        expect(error).toMatchObject({ code: 'AlreadyExists', retryable: false });
      });

      it('given an invalid spec, when ensured, then it is refused permanently and nothing is created', async () => {
        const spec = vmSpec(namespace, { cpu: { sockets: 4, maxSockets: 2 } });
        await expect(cluster.ensureVm(spec)).rejects.toMatchObject({ code: 'Invalid', retryable: false });
        expect(await cluster.getVm(spec.ref)).toBeNull();
      });
    });

    describe('lifecycle', () => {
      it('given runStrategy Always, when ensured, then the VMI goes through the phases in order to Running on a node', async () => {
        const spec = vmSpec(namespace);
        const watch = collect(spec.ref);
        await cluster.ensureVm(spec);
        const vm = await running(spec.ref);
        watch.stop();
        expect(vm.node).toMatch(/^node-[ab]$/);
        expect(vm.paused).toBe(false);
        expect(vm.conditions).toContainEqual(expect.objectContaining({ type: 'Ready', status: 'True' }));
        const order = ['Pending', 'Scheduling', 'Scheduled', 'Running'];
        const phases = watch.changes.map((c) => c.vm.vmiPhase).filter((p): p is NonNullable<typeof p> => p !== null);
        const ranks = phases.map((p) => order.indexOf(p));
        expect(ranks.every((rank, i) => rank >= 0 && (i === 0 || rank >= ranks[i - 1]!))).toBe(true);
      });

      it('given runStrategy Halted, when ensured, then it stays Stopped with no VMI until started', async () => {
        const spec = vmSpec(namespace, { runStrategy: 'Halted' });
        const created = await cluster.ensureVm(spec);
        expect(created.printableStatus).toBe('Stopped');
        expect(created.vmiPhase).toBeNull();
        await cluster.startVm(spec.ref);
        await cluster.startVm(spec.ref);
        const vm = await running(spec.ref);
        expect(vm.runStrategy).toBe('Always');
      });

      it('given a running VM, when stopped twice and started twice, then each lands and the repeats are no-ops', async () => {
        const spec = vmSpec(namespace);
        await cluster.ensureVm(spec);
        await running(spec.ref);
        await cluster.stopVm(spec.ref);
        await cluster.stopVm(spec.ref);
        const off = await stopped(spec.ref);
        expect(off).toMatchObject({ runStrategy: 'Halted', node: null, paused: false });
        await cluster.stopVm(spec.ref);
        await cluster.startVm(spec.ref);
        await running(spec.ref);
        await cluster.startVm(spec.ref);
        expect((await get(spec.ref)).printableStatus).toBe('Running');
      });

      it('given a running VM, when restarted, then a new VMI replaces the old one; a retry with the old vmiUid is a no-op', async () => {
        const spec = vmSpec(namespace);
        await cluster.ensureVm(spec);
        const before = await running(spec.ref);
        await cluster.restartVm(spec.ref, { vmiUid: before.vmiUid! });
        const after = await until(spec.ref, (vm) => vm.vmiPhase === 'Running' && vm.vmiUid !== before.vmiUid);
        await cluster.restartVm(spec.ref, { vmiUid: before.vmiUid! });
        expect((await get(spec.ref)).vmiUid).toBe(after.vmiUid);
      });

      it('given a stopped VM, when restarted, then it is refused permanently', async () => {
        const spec = vmSpec(namespace, { runStrategy: 'Halted' });
        await cluster.ensureVm(spec);
        await expect(cluster.restartVm(spec.ref)).rejects.toMatchObject({ code: 'VmNotRunning', retryable: false });
      });

      it('given an absent VM, when an action is asked, then it is refused permanently', async () => {
        const ref = { namespace, name: 'never-created' };
        await expect(cluster.startVm(ref)).rejects.toMatchObject({ code: 'VmNotFound', retryable: false });
        await expect(cluster.pauseVm(ref)).rejects.toBeInstanceOf(PermanentAdapterError);
      });
    });

    describe('pause', () => {
      it('given a running VM, when paused twice then unpaused twice, then it shows Paused and then Running again', async () => {
        const spec = vmSpec(namespace);
        await cluster.ensureVm(spec);
        await running(spec.ref);
        await cluster.pauseVm(spec.ref);
        await cluster.pauseVm(spec.ref);
        const paused = await until(spec.ref, (vm) => vm.printableStatus === 'Paused');
        expect(paused.paused).toBe(true);
        expect(paused.conditions).toContainEqual(expect.objectContaining({ type: 'Paused', status: 'True', reason: 'PausedByUser' }));
        await cluster.unpauseVm(spec.ref);
        await cluster.unpauseVm(spec.ref);
        const resumed = await running(spec.ref);
        expect(resumed.paused).toBe(false);
        expect(resumed.conditions.find((c) => c.type === 'Paused')).toBeUndefined();
      });

      it('given a stopped VM, when paused or unpaused, then it is refused permanently (VMI is not running)', async () => {
        const spec = vmSpec(namespace, { runStrategy: 'Halted' });
        await cluster.ensureVm(spec);
        const error = await cluster.pauseVm(spec.ref).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(PermanentAdapterError);
        expect(error).toMatchObject({ code: 'VmNotRunning' });
        await expect(cluster.unpauseVm(spec.ref)).rejects.toMatchObject({ code: 'VmNotRunning', retryable: false });
      });
    });

    describe('deleteVm', () => {
      it('given a running VM, when deleted twice, then it shows Terminating (or is gone) and then is absent', async () => {
        const spec = vmSpec(namespace);
        await cluster.ensureVm(spec);
        await running(spec.ref);
        await cluster.deleteVm(spec.ref);
        const during = await cluster.getVm(spec.ref);
        if (during) expect(during.printableStatus).toBe('Terminating');
        await cluster.deleteVm(spec.ref);
        await eventually(async () => expect(await cluster.getVm(spec.ref)).toBeNull(), WAIT_MS);
        await cluster.deleteVm(spec.ref);
        expect(await cluster.listVms(namespace)).toEqual([]);
      });

      it('given a deleted VM, when its node capacity is listed, then nothing is allocated to it any more', async () => {
        const spec = vmSpec(namespace);
        await cluster.ensureVm(spec);
        const vm = await running(spec.ref);
        const allocated = async () => (await cluster.listNodes()).find((n) => n.name === vm.node)!;
        expect((await allocated()).cpu.allocated).toBe(2);
        expect((await allocated()).memoryMiB.allocated).toBe(2048);
        await cluster.deleteVm(spec.ref);
        await eventually(async () => expect((await allocated()).cpu.allocated).toBe(0), WAIT_MS);
      });
    });

    describe('scheduling', () => {
      it('given no node has room, when a VM is ensured, then it is ErrorUnschedulable with PodScheduled=False, and runs once room appears', async () => {
        await setUp({ nodes: [{ name: 'small', cpu: 4, memoryMiB: 8192 }] });
        const first = vmSpec(namespace, { cpu: { sockets: 3, maxSockets: 4 } });
        await cluster.ensureVm(first);
        await running(first.ref);
        const second = vmSpec(namespace, { cpu: { sockets: 2, maxSockets: 4 } });
        await cluster.ensureVm(second);
        const stuck = await until(second.ref, (vm) => vm.printableStatus === 'ErrorUnschedulable');
        expect(stuck.node).toBeNull();
        expect(['Pending', 'Scheduling']).toContain(stuck.vmiPhase);
        expect(stuck.conditions).toContainEqual(expect.objectContaining({ type: 'PodScheduled', status: 'False', reason: 'Unschedulable' }));
        await cluster.stopVm(first.ref);
        const placed = await running(second.ref);
        expect(placed.node).toBe('small');
      });

      it('given nodes, when listed, then each reports capacity, allocation and readiness', async () => {
        const nodes = await cluster.listNodes();
        expect(nodes.map((n) => n.name).sort()).toEqual(['node-a', 'node-b']);
        expect(nodes[0]).toMatchObject({ cpu: { capacity: 8, allocated: 0 }, memoryMiB: { capacity: 16384, allocated: 0 }, ready: true });
      });
    });

    describe('watchVms', () => {
      it('given a watch, when a VM is created, runs and is deleted, then ADDED, MODIFIED and DELETED are reported', async () => {
        const spec = vmSpec(namespace);
        const watch = collect(spec.ref);
        await cluster.ensureVm(spec);
        await running(spec.ref);
        await cluster.deleteVm(spec.ref);
        await eventually(() => expect(watch.changes.at(-1)?.type).toBe('DELETED'), WAIT_MS);
        watch.stop();
        expect(watch.changes[0]).toMatchObject({ type: 'ADDED', vm: { vmId: spec.vmId } });
        expect(watch.changes.some((c) => c.type === 'MODIFIED' && c.vm.printableStatus === 'Running')).toBe(true);
      });

      it('given existing VMs, when a watch starts, then it first reports each as ADDED', async () => {
        const spec = vmSpec(namespace, { runStrategy: 'Halted' });
        await cluster.ensureVm(spec);
        const watch = collect(spec.ref);
        await eventually(() => expect(watch.changes[0]).toMatchObject({ type: 'ADDED', vm: { vmId: spec.vmId } }), WAIT_MS);
        watch.stop();
      });

      it('given a running VM, when it is stopped outside our control, then the watch reports it Stopped', async () => {
        const spec = vmSpec(namespace);
        await cluster.ensureVm(spec);
        await running(spec.ref);
        const watch = collect(spec.ref);
        await harness.stopOutsideOurControl(spec.ref);
        await eventually(
          () => expect(watch.changes.some((c) => c.type === 'MODIFIED' && c.vm.printableStatus === 'Stopped' && c.vm.runStrategy === 'Halted')).toBe(true),
          WAIT_MS,
        );
        watch.stop();
      });

      it('given a running VM, when its guest dies, then the watch reports it not running and KubeVirt brings up a new VMI', async () => {
        const spec = vmSpec(namespace);
        await cluster.ensureVm(spec);
        const before = await running(spec.ref);
        const watch = collect(spec.ref);
        await harness.crash(spec.ref);
        // The VM's printableStatus follows its VMI a controller step later, as in KubeVirt.
        const after = await until(spec.ref, (vm) => vm.vmiPhase === 'Running' && vm.vmiUid !== before.vmiUid && vm.printableStatus === 'Running');
        watch.stop();
        expect(after.printableStatus).toBe('Running');
        expect(watch.changes.some((c) => c.vm.printableStatus !== 'Running')).toBe(true);
      });

      it('given a stopped watch, when VMs change, then it reports nothing more', async () => {
        const spec = vmSpec(namespace, { runStrategy: 'Halted' });
        const watch = collect(spec.ref);
        watch.stop();
        await cluster.ensureVm(spec);
        await cluster.startVm(spec.ref);
        await running(spec.ref);
        expect(watch.changes).toEqual([]);
      });
    });

    describe('faults', () => {
      it('given the next two creates fail transiently, when retried, then the third succeeds and one VM exists', async () => {
        const spec = vmSpec(namespace);
        harness.faults.failNext('ensureVm', 2, new TransientAdapterError('ServerError', 'injected 503'));
        for (let i = 0; i < 2; i++) {
          const error = await cluster.ensureVm(spec).catch((e: unknown) => e);
          expect(error).toBeInstanceOf(TransientAdapterError);
          expect(error).toMatchObject({ retryable: true });
        }
        await cluster.ensureVm(spec);
        expect(await cluster.listVms(namespace)).toHaveLength(1);
      });

      it('given the response to a create is lost, when retried, then the same VM is returned', async () => {
        const spec = vmSpec(namespace);
        harness.faults.failAfterNext('ensureVm', 1, new TransientAdapterError('Timeout', 'injected timeout'));
        await expect(cluster.ensureVm(spec)).rejects.toMatchObject({ code: 'Timeout', retryable: true });
        const existing = await get(spec.ref);
        expect((await cluster.ensureVm(spec)).uid).toBe(existing.uid);
      });

      it('given a conflict, when the action is retried, then it succeeds', async () => {
        const spec = vmSpec(namespace, { runStrategy: 'Halted' });
        await cluster.ensureVm(spec);
        harness.faults.conflictNext('startVm');
        await expect(cluster.startVm(spec.ref)).rejects.toMatchObject({ code: 'Conflict', retryable: true });
        await cluster.startVm(spec.ref);
        await running(spec.ref);
      });

      it('given a hang, when the call is made, then it does not resolve until released, then it takes effect', async () => {
        const spec = vmSpec(namespace, { runStrategy: 'Halted' });
        await cluster.ensureVm(spec);
        const hang = harness.faults.hang('startVm');
        const call = cluster.startVm(spec.ref);
        await eventually(() => expect(hang.pending).toBe(1), WAIT_MS);
        expect(await hasSettled(call)).toBe(false);
        expect((await get(spec.ref)).runStrategy).toBe('Halted');
        hang.release();
        await call;
        await running(spec.ref);
      });

      it('given a hang released with an error, when the call is made, then it rejects with that error', async () => {
        const spec = vmSpec(namespace, { runStrategy: 'Halted' });
        await cluster.ensureVm(spec);
        const hang = harness.faults.hang('stopVm', { count: 1 });
        const call = cluster.stopVm(spec.ref).catch((e: unknown) => e);
        await eventually(() => expect(hang.pending).toBe(1), WAIT_MS);
        hang.release(new TransientAdapterError('Timeout', 'injected timeout'));
        expect(await call).toMatchObject({ code: 'Timeout', retryable: true });
      });
    });
  });
}
