import { PermanentAdapterError, TransientAdapterError } from '../../../src/adapters/adapter-errors.js';
import type { RecordedEvent } from '../../../src/adapters/event-store/event-envelope.js';
import type { QueuedJob } from '../../../src/adapters/queue/job-queue.port.js';
import { RetryableJobError } from '../../../src/adapters/queue/retryable-job.error.js';
import { SimulatedHypervisor } from '../../../src/adapters/libvirt/simulated-hypervisor.js';
import { SimulatedFabric } from '../../../src/adapters/ovs/simulated-fabric.js';
import type { FlavorSnapshot } from '../../../src/domain/flavor/flavor-snapshot.js';
import { virtualMachineDecider } from '../../../src/domain/virtual-machine/virtual-machine.decider.js';
import type { VirtualMachineCommand } from '../../../src/domain/virtual-machine/virtual-machine.commands.js';
import type { VirtualMachineEvent } from '../../../src/domain/virtual-machine/virtual-machine.events.js';
import type { VirtualMachineState } from '../../../src/domain/virtual-machine/virtual-machine.state.js';
import type { SagaJob } from '../../../src/handlers/sagas/saga-job.js';
import { jobsForEvent } from '../../../src/handlers/sagas/vm-task.process-manager.js';
import { SagaJobProcessor } from '../../../src/handlers/workers/saga-job-processor.js';
import { vmRef } from '../../../src/handlers/workers/steps/vm-spec.js';
import { FakeLiveCluster } from '../../support/fake-live-cluster.js';
import { NOW, TINY, VM_ID, events } from '../domain/vm-fixtures.js';

const REF = vmRef({ id: VM_ID, projectId: 'project-a' });
const SMALL: FlavorSnapshot = { ...TINY, id: '2', name: 'm1.small', vcpus: 2, ramMb: 1024, diskGb: 20, maxVcpus: 8, maxRamMb: 4096 };
const meta = { requestId: 'req-1', correlationId: 'req-1', causationId: 'req-1', actor: { userId: 'admin', projectId: 'p', roles: ['admin'] } };

/**
 * The saga end to end in memory: the decider appends to a history, the process manager turns each
 * new event into jobs, the job processor runs them through the fake cluster and the hypervisor
 * simulation and records the result as a command. Retries are run at once; deadlines are not.
 */
class SagaHarness {
  readonly hypervisor = new SimulatedHypervisor();
  readonly cluster = new FakeLiveCluster(this.hypervisor);
  readonly fabric = new SimulatedFabric();
  readonly history: VirtualMachineEvent[] = [...events.built()];
  readonly ran: string[] = [];
  private readonly queue: SagaJob[] = [];
  private position = 0;
  /**
   * Steps whose first result cannot be recorded (the worker died after the side effect, or the
   * store was unreachable): the job runs again and must not do the effect twice.
   */
  loseFirstResultOf = new Set<string>();
  /** Called before each step job runs: a test acts mid-task here (abort, faults). */
  beforeStep: (stepId: string) => Promise<void> | void = () => undefined;
  readonly processor: SagaJobProcessor;

  /** Per-step deadlines of the long waits (the steps read them at each look, so a test may shorten one). */
  readonly deadlines = { podResizeMs: 200, guestResizeMs: 200, migrationMs: 2_000 };

  constructor(options: { live?: boolean; overheadMiB?: number } = {}) {
    this.cluster.addNode('node-1', 8, 4096);
    this.cluster.addNode('node-2', 8, 4096);
    this.cluster.addRunningVm(REF, VM_ID, 'node-1', { vcpus: 1, maxVcpus: 4, memoryMiB: 512, maxMemoryMiB: 2048 });
    this.processor = new SagaJobProcessor({
      execute: async (command) => {
        if ((command.type === 'RecordStepSucceeded' || command.type === 'RecordStepFailed') && this.loseFirstResultOf.delete(command.data.stepId)) {
          throw new Error('the event store did not answer');
        }
        this.execute(command);
      },
      loadVm: async () => this.state(),
      cluster: this.cluster,
      convergenceTimeoutMs: 40,
      pollIntervalMs: 2,
      live: options.live === false ? null : { cluster: this.cluster, hypervisor: this.hypervisor, launcherMemoryOverheadMiB: options.overheadMiB ?? 0, deadlines: this.deadlines },
      // Only the fabric: the migration steps move the NICs' port bindings; the NIC steps do not run here.
      nics: {
        cluster: null,
        fabric: this.fabric,
        port: () => Promise.reject(new Error('not part of this harness')),
        loadPort: () => Promise.reject(new Error('not part of this harness')),
        deletePort: () => Promise.reject(new Error('not part of this harness')),
        switchFor: () => Promise.reject(new Error('not part of this harness')),
      },
    });
  }

  state(): VirtualMachineState {
    return this.history.reduce(virtualMachineDecider.evolve, null);
  }

  /** A command through the decider; each new event goes through the process manager. */
  execute(command: VirtualMachineCommand): void {
    for (const event of virtualMachineDecider.decide(command, this.state(), { now: NOW })) this.deliver(event);
  }

  /** An event appended (decided now, or recorded by an earlier version) through the process manager. */
  deliver(event: VirtualMachineEvent): void {
    this.history.push(event);
    const recorded = { ...event, id: `evt-${this.position}`, schemaVersion: 1, metadata: meta, occurredAt: NOW, streamId: `vm-${VM_ID}`, revision: this.position, position: this.position + 1, recordedAt: NOW } as RecordedEvent;
    this.position += 1;
    this.queue.push(...jobsForEvent(recorded, this.state()));
  }

  /** Runs queued jobs until none is left, as the workers would. */
  async run(command?: VirtualMachineCommand): Promise<VirtualMachineState> {
    if (command) this.execute(command);
    for (let job = this.queue.shift(); job; job = this.queue.shift()) {
      if (job.data.kind !== 'step') continue;
      await this.beforeStep(job.data.stepId);
      this.ran.push(`${job.queue}:${job.name}`);
      const startedAt = new Date().toISOString();
      for (let attempt = 0; ; attempt++) {
        try {
          await this.processor.process(queued(job, attempt, startedAt));
          break;
        } catch (error) {
          if (!(error instanceof RetryableJobError)) throw error;
        }
      }
    }
    return this.state();
  }

  lastEvent(): VirtualMachineEvent {
    return this.history[this.history.length - 1]!;
  }

  async domain(node = 'node-1') {
    return this.hypervisor.getDomain({ vmId: VM_ID, node });
  }
}

function queued(job: SagaJob, attemptsMade: number, firstStartedAt: string): QueuedJob {
  let progress: object = {};
  return {
    id: job.id,
    queue: job.queue,
    name: job.name,
    data: job.data,
    attemptsMade,
    maxAttempts: 3,
    // The step's deadlines count from its first attempt, as the queue keeps it.
    firstStartedAt,
    get progress() {
      return progress;
    },
    updateProgress: async (p) => {
      progress = p as object;
    },
  };
}

const hotResize = (vcpus?: number, ramMb?: number): VirtualMachineCommand => ({
  type: 'HotResizeVM',
  data: { vmId: VM_ID, taskId: 'task-hot', ...(vcpus !== undefined ? { vcpus } : {}), ...(ramMb !== undefined ? { ramMb } : {}) },
});
const liveUpdate = (vcpus?: number, ramMb?: number): VirtualMachineCommand => ({
  type: 'HotResizeVM',
  data: { vmId: VM_ID, taskId: 'task-live', strategy: 'live-update', ...(vcpus !== undefined ? { vcpus } : {}), ...(ramMb !== undefined ? { ramMb } : {}) },
});
const errorOf = (e: VirtualMachineEvent) => (e.data as { error: { code: string; message: string } }).error;
const migrate = (targetHost: string | null = null): VirtualMachineCommand => ({ type: 'LiveMigrateVM', data: { vmId: VM_ID, taskId: 'task-mig', targetHost } });

let harness: SagaHarness;
afterEach(() => harness.hypervisor.close());

describe('hot resize saga (in place)', () => {
  it('given a running VM with headroom, when hot resized to 2 vCPUs and 1024 MiB, then pod, guest and VM object all have the new size and the VM is ACTIVE', async () => {
    harness = new SagaHarness();
    const vm = await harness.run(hotResize(2, 1024));
    expect(harness.ran).toEqual(['cluster:resize-launcher-pod', 'hypervisor:resize-guest']);
    expect(harness.lastEvent()).toEqual({ type: 'VMHotResized', data: { vmId: VM_ID, taskId: 'task-hot', vcpus: 2, ramMb: 1024 } });
    expect(vm).toMatchObject({ vmState: 'active', task: null, flavor: { vcpus: 2, ramMb: 1024 } });
    expect(harness.cluster.vm(REF).pod?.applied).toEqual({ vcpus: 2, memoryMiB: 1024 });
    expect(harness.cluster.vm(REF).template).toMatchObject({ vcpus: 2, memoryMiB: 1024, maxVcpus: 4, maxMemoryMiB: 2048 });
    expect(await harness.domain()).toMatchObject({ vcpus: { current: 2 }, memoryMiB: { current: 1024 }, guest: { vcpusOnline: 2, memoryMiB: 1024 } });
  });

  it('given a launcher memory overhead, then the pod is asked for the guest\'s memory plus it', async () => {
    harness = new SagaHarness({ overheadMiB: 128 });
    await harness.run(hotResize(2, 1024));
    expect(harness.cluster.vm(REF).pod?.desired).toEqual({ vcpus: 2, memoryMiB: 1152 });
    expect(harness.cluster.calls).toContain('resizeLauncherPod 2/1152');
  });

  it('given the node could never hold the bigger pod (Infeasible), then the task fails with that reason, the pod is shrunk back and the VM stays ACTIVE at its old size', async () => {
    harness = new SagaHarness();
    harness.cluster.nodes.set('node-1', { cpu: 8, memoryMiB: 768 });
    const vm = await harness.run(hotResize(undefined, 1024));
    expect(harness.ran).toEqual(['cluster:resize-launcher-pod', 'cluster:shrink-launcher-pod']);
    expect(harness.lastEvent()).toMatchObject({ type: 'TaskFailed', data: { action: 'hotResize', stepId: 'resize-launcher-pod', error: { code: 'PodResizeInfeasible' } } });
    expect((harness.lastEvent().data as { error: { message: string } }).error.message).toMatch(/enough capacity/);
    expect(vm).toMatchObject({ vmState: 'active', fault: null, flavor: { vcpus: 1, ramMb: 512 } });
    expect(harness.cluster.vm(REF).pod).toEqual({ desired: { vcpus: 1, memoryMiB: 512 }, applied: { vcpus: 1, memoryMiB: 512 } });
    expect(await harness.domain()).toMatchObject({ memoryMiB: { current: 512 } });
  });

  it('given the node has no room now (Deferred) past the wait, then it fails as deferred rather than hanging, and the pod is shrunk back', async () => {
    harness = new SagaHarness();
    harness.cluster.usedByOthersMiB.set('node-1', 3500);
    const vm = await harness.run(hotResize(undefined, 1024));
    expect(harness.lastEvent()).toMatchObject({ type: 'TaskFailed', data: { stepId: 'resize-launcher-pod', error: { code: 'PodResizeDeferred' } } });
    expect(vm).toMatchObject({ vmState: 'active', flavor: { ramMb: 512 } });
    expect(harness.cluster.vm(REF).pod?.desired).toEqual({ vcpus: 1, memoryMiB: 512 });
  });

  it('given the memory hot-add fails in libvirt, then the VM object, the guest and the pod are undone, newest first, and the VM is ACTIVE at 1 vCPU / 512 MiB', async () => {
    harness = new SagaHarness();
    harness.hypervisor.faults.failNext('setMemory', 1, new PermanentAdapterError('NotSupported', 'virtio-mem is not available'));
    const vm = await harness.run(hotResize(2, 1024));
    expect(harness.ran.slice(2)).toEqual(['cluster:restore-vm-size', 'hypervisor:restore-guest-memory', 'hypervisor:restore-guest-vcpus', 'cluster:shrink-launcher-pod']);
    expect(harness.lastEvent()).toMatchObject({ type: 'TaskFailed', data: { stepId: 'resize-guest', error: { code: 'NotSupported' } } });
    expect(vm).toMatchObject({ vmState: 'active', fault: null, flavor: { vcpus: 1, ramMb: 512 } });
    expect(await harness.domain()).toMatchObject({ vcpus: { current: 1 }, memoryMiB: { current: 512 } });
    expect(harness.cluster.vm(REF).pod?.applied).toEqual({ vcpus: 1, memoryMiB: 512 });
  });

  it('given libvirt drops the connection once during the vCPU hot-add, then the step is retried and the resize completes', async () => {
    harness = new SagaHarness();
    harness.hypervisor.faults.failNext('setVcpus', 1, new TransientAdapterError('ConnectionLost', 'libvirtd went away'));
    const vm = await harness.run(hotResize(3));
    expect(harness.lastEvent().type).toBe('VMHotResized');
    expect(vm?.flavor.vcpus).toBe(3);
  });

  it('given the VM object cannot record the size, then everything is undone, the guest included', async () => {
    harness = new SagaHarness();
    const setVmSize = harness.cluster.setVmSize.bind(harness.cluster);
    let first = true;
    harness.cluster.setVmSize = async (ref, size) => {
      if (first) {
        first = false;
        throw new PermanentAdapterError('Invalid', 'admission webhook denied the request');
      }
      return setVmSize(ref, size);
    };
    const vm = await harness.run(hotResize(2));
    expect(harness.ran.slice(-4)).toEqual(['cluster:restore-vm-size', 'hypervisor:restore-guest-memory', 'hypervisor:restore-guest-vcpus', 'cluster:shrink-launcher-pod']);
    expect(vm).toMatchObject({ vmState: 'active', flavor: { vcpus: 1 } });
    expect(harness.cluster.vm(REF).template.vcpus).toBe(1);
    expect(await harness.domain()).toMatchObject({ vcpus: { current: 1 } });
  });

  it('given a hot resize started by an earlier version (its plan names the six steps of then), when the workers resume it, then each old step still runs and the resize completes', async () => {
    harness = new SagaHarness();
    const steps = ['resize-launcher-pod', 'await-pod-resize', 'hot-add-vcpus', 'hot-add-memory', 'confirm-guest-size', 'record-vm-size'];
    harness.deliver({
      type: 'VMHotResizeRequested',
      data: {
        vmId: VM_ID,
        task: { taskId: 'task-hot', action: 'hotResize', steps, taskStates: ['resize_prep', 'resize_prep', 'resize_finish', 'resize_finish', 'resize_finish', 'resize_finish'] },
        from: { vcpus: 1, ramMb: 512 },
        to: { vcpus: 2, ramMb: 1024 },
        strategy: 'in-place',
      },
    });
    const vm = await harness.run();
    expect(harness.ran.map((r) => r.split(':')[1])).toEqual(steps);
    expect(vm).toMatchObject({ vmState: 'active', task: null, flavor: { vcpus: 2, ramMb: 1024 } });
    expect(harness.cluster.vm(REF).template).toMatchObject({ vcpus: 2, memoryMiB: 1024 });
    expect(await harness.domain()).toMatchObject({ guest: { vcpusOnline: 2, memoryMiB: 1024 } });
  });

  it('given a cluster adapter without live changes, then the task fails with NotSupported and the VM stays ACTIVE', async () => {
    harness = new SagaHarness({ live: false });
    const vm = await harness.run(hotResize(2));
    expect(harness.lastEvent()).toMatchObject({ type: 'TaskFailed', data: { error: { code: 'NotSupported' } } });
    expect(vm?.vmState).toBe('active');
  });
});

describe('vCPU removal in place', () => {
  /** A VM grown to 3 vCPUs first, so there is something to take away. */
  async function withThreeVcpus() {
    harness = new SagaHarness();
    await harness.run(hotResize(3));
    harness.ran.length = 0;
    return harness;
  }
  const shrink = (vcpus: number): VirtualMachineCommand => ({ type: 'HotResizeVM', data: { vmId: VM_ID, taskId: 'task-down', vcpus } });

  it('given 3 vCPUs, when hot resized to 1, then libvirt unplugs 2, the guest confirms, the size is recorded and the pod gives them back', async () => {
    await withThreeVcpus();
    const vm = await harness.run(shrink(1));
    expect(harness.ran).toEqual(['hypervisor:resize-guest', 'cluster:trim-launcher-pod']);
    expect(vm).toMatchObject({ vmState: 'active', flavor: { vcpus: 1 } });
    expect(await harness.domain()).toMatchObject({ vcpus: { current: 1 }, guest: { vcpusOnline: 1 } });
    expect(harness.cluster.vm(REF).pod?.applied).toEqual({ vcpus: 1, memoryMiB: 512 });
    expect(harness.cluster.vm(REF).template.vcpus).toBe(1);
  });

  it('given every step of the removal loses its first result (crash after the side effect), then each runs again and libvirt unplugged once', async () => {
    await withThreeVcpus();
    const before = harness.hypervisor.effects.count('setVcpus', VM_ID);
    harness.loseFirstResultOf = new Set(['resize-guest', 'trim-launcher-pod']);
    const vm = await harness.run(shrink(1));
    expect(harness.loseFirstResultOf.size).toBe(0);
    expect(harness.hypervisor.effects.count('setVcpus', VM_ID) - before).toBe(1);
    expect(vm).toMatchObject({ vmState: 'active', flavor: { vcpus: 1 } });
    expect(harness.cluster.vm(REF).pod?.applied).toEqual({ vcpus: 1, memoryMiB: 512 });
  });

  it('given libvirt times out on the unplug (QEMU under TCG), then the step fails saying so with both counts, the vCPUs are put back and the VM stays ACTIVE with 3', async () => {
    await withThreeVcpus();
    const setVcpus = harness.hypervisor.setVcpus.bind(harness.hypervisor);
    harness.hypervisor.setVcpus = async (ref, count, scope) => {
      if (count < 3) throw new TransientAdapterError('Timeout', 'Timed out during operation: vcpu unplug request timed out. Unplug result must be manually inspected in the domain');
      return setVcpus(ref, count, scope);
    };
    const vm = await harness.run(shrink(1));
    const failed = harness.history.find((e) => e.type === 'TaskStepFailed')!;
    expect(errorOf(failed).code).toBe('VcpuUnplugFailed');
    expect(errorOf(failed).message).toMatch(/vcpu unplug request timed out.*the guest reports 3 vCPUs online, libvirt counts 3/);
    expect(harness.ran).toEqual(['hypervisor:resize-guest', 'cluster:restore-vm-size', 'hypervisor:restore-guest-memory', 'hypervisor:restore-guest-vcpus']);
    expect(vm).toMatchObject({ vmState: 'active', fault: null, flavor: { vcpus: 3 } });
  });

  it('given the guest let go of the vCPUs but libvirt neither confirms nor can add them back, then the task ends in ERROR naming the real counts, never at the old size silently', async () => {
    await withThreeVcpus();
    const setVcpus = harness.hypervisor.setVcpus.bind(harness.hypervisor);
    let unplugged = false;
    harness.hypervisor.setVcpus = async (ref, count, scope) => {
      if (count < 3 && !unplugged) {
        unplugged = true;
        await setVcpus(ref, count, scope); // QEMU and the guest completed it...
        throw new TransientAdapterError('Timeout', 'Timed out during operation: vcpu unplug request timed out'); // ...libvirt did not wait
      }
      throw new PermanentAdapterError('Unknown', 'An error occurred, but the cause is unknown');
    };
    const vm = await harness.run(shrink(1));
    const last = harness.lastEvent();
    expect(last).toMatchObject({ type: 'TaskFailed', data: { stepId: 'resize-guest', cleanupError: { code: 'GuestVcpusDiffer' } } });
    expect((last.data as { cleanupError: { message: string } }).cleanupError.message).toMatch(/guest reports 1 online, libvirt counts 1/);
    expect(vm?.vmState).toBe('error');
  });

  it('given the undo keeps failing transiently, then its last attempt is recorded with the counts it read back', async () => {
    await withThreeVcpus();
    const setVcpus = harness.hypervisor.setVcpus.bind(harness.hypervisor);
    let unplugged = false;
    harness.hypervisor.setVcpus = async (ref, count, scope) => {
      if (count < 3 && !unplugged) {
        unplugged = true;
        await setVcpus(ref, count, scope);
        throw new TransientAdapterError('Timeout', 'Timed out during operation: vcpu unplug request timed out');
      }
      throw new TransientAdapterError('ConnectionLost', 'libvirtd went away');
    };
    await harness.run(shrink(1));
    const cleanup = (harness.lastEvent().data as { cleanupError: { code: string; message: string } }).cleanupError;
    expect(cleanup).toEqual({ code: 'GuestVcpusDiffer', message: expect.stringMatching(/libvirtd went away.*the guest reports 1 online, libvirt counts 1/) });
  });
});

describe('hot resize saga (KubeVirt live update)', () => {
  it('given a live-update cluster, when hot resized, then the template changes, KubeVirt migrates and hot-plugs, the guest confirms, and the VM is ACTIVE on its new node', async () => {
    harness = new SagaHarness();
    const vm = await harness.run(liveUpdate(2, 1024));
    expect(harness.ran).toEqual(['cluster:update-vm-template', 'cluster:follow-live-update', 'hypervisor:confirm-guest-size']);
    expect(harness.lastEvent()).toEqual({ type: 'VMHotResized', data: { vmId: VM_ID, taskId: 'task-live', vcpus: 2, ramMb: 1024 } });
    expect(vm).toMatchObject({ vmState: 'active', host: 'node-2', flavor: { vcpus: 2, ramMb: 1024 } });
    expect(await harness.domain('node-2')).toMatchObject({ vcpus: { current: 2 }, memoryMiB: { current: 1024 } });
    expect(harness.cluster.vm(REF).template).toMatchObject({ vcpus: 2, memoryMiB: 1024, maxVcpus: 4, maxMemoryMiB: 2048 });
  });

  it('given KubeVirt cannot migrate the VM, then the template is not touched and the task fails saying why', async () => {
    harness = new SagaHarness();
    harness.cluster.vm(REF).notMigratable = 'DisksNotLiveMigratable: PVC root is not shared';
    const vm = await harness.run(liveUpdate(2));
    expect(errorOf(harness.lastEvent())).toMatchObject({ code: 'NotMigratable' });
    expect(harness.cluster.calls.filter((c) => c.startsWith('updateVmTemplateSize 2'))).toEqual([]);
    expect(vm).toMatchObject({ vmState: 'active', flavor: { vcpus: 1 } });
  });

  it("given KubeVirt's migration fails, then the template goes back, the VM stays ACTIVE at its old size on node-1 and the action says why", async () => {
    harness = new SagaHarness();
    harness.cluster.failNextMigration = 'target pod could not be scheduled';
    harness.cluster.migrationSteps = 4;
    const vm = await harness.run(liveUpdate(2));
    expect(harness.ran).toEqual(['cluster:update-vm-template', 'cluster:follow-live-update', 'cluster:restore-vm-template']);
    expect(harness.lastEvent()).toMatchObject({ type: 'TaskFailed', data: { stepId: 'follow-live-update', error: { code: 'MigrationFailed' } } });
    expect(errorOf(harness.lastEvent()).message).toMatch(/could not be scheduled/);
    expect(vm).toMatchObject({ vmState: 'active', host: 'node-1', fault: null, flavor: { vcpus: 1 } });
    expect(harness.cluster.vm(REF).template.vcpus).toBe(1);
  });

  it('given the VM stops while KubeVirt works on it, then the task fails and the template still goes back for its next boot', async () => {
    harness = new SagaHarness();
    harness.cluster.migrationSteps = 1000;
    harness.beforeStep = async (step) => {
      if (step === 'follow-live-update') await harness.cluster.stopVm(REF);
    };
    await harness.run(liveUpdate(2, 1024));
    expect(harness.lastEvent()).toMatchObject({ type: 'TaskFailed', data: { stepId: 'follow-live-update', error: { code: 'VmNotRunning' } } });
    expect(harness.ran.at(-1)).toBe('cluster:restore-vm-template');
    expect(harness.cluster.vm(REF).template).toMatchObject({ vcpus: 1, memoryMiB: 512 });
  });

  it('given KubeVirt answers RestartRequired, then the template goes back and the task fails with its message', async () => {
    harness = new SagaHarness();
    harness.beforeStep = (step) => {
      if (step === 'follow-live-update') harness.cluster.vm(REF).restartRequired = 'Memory-hotplug is only available for migratable VMs';
    };
    const vm = await harness.run(liveUpdate(undefined, 1024));
    expect(harness.lastEvent()).toMatchObject({ type: 'TaskFailed', data: { error: { code: 'RestartRequired' } } });
    expect(errorOf(harness.lastEvent()).message).toMatch(/only available for migratable VMs/);
    expect(harness.ran.at(-1)).toBe('cluster:restore-vm-template');
    expect(vm).toMatchObject({ vmState: 'active', flavor: { ramMb: 512 } });
  });

  it("given KubeVirt's migration outlives the step deadline, then it fails as deadline exceeded, the migration is deleted and the template goes back", async () => {
    harness = new SagaHarness();
    harness.cluster.migrationSteps = 1000;
    harness.deadlines.migrationMs = 60;
    const vm = await harness.run(liveUpdate(2));
    expect(harness.lastEvent()).toMatchObject({ type: 'TaskFailed', data: { stepId: 'follow-live-update', error: { code: 'DeadlineExceeded' } } });
    expect(errorOf(harness.lastEvent()).message).toMatch(/deadline exceeded/);
    expect(harness.cluster.calls).toContain('abortMigration kubevirt-workload-update-1');
    expect(harness.cluster.migrations.size).toBe(0);
    expect(vm).toMatchObject({ vmState: 'active', host: 'node-1', flavor: { vcpus: 1 } });
  });

  it('given the hot-plug happened but the guest never confirms it, then the undo cannot take it back live and the task ends in ERROR saying what the VM runs with', async () => {
    harness = new SagaHarness();
    harness.beforeStep = (step) => {
      if (step === 'confirm-guest-size') harness.hypervisor.faults.failNext('getDomain', 1000, new PermanentAdapterError('AgentUnavailable', 'the guest agent does not answer'));
    };
    const vm = await harness.run(liveUpdate(2));
    const last = harness.lastEvent();
    expect(last).toMatchObject({ type: 'TaskFailed', data: { stepId: 'confirm-guest-size', cleanupError: { code: 'LiveUpdateNotUndone' } } });
    expect((last.data as { cleanupError: { message: string } }).cleanupError.message).toMatch(/runs with 2 vCPUs and 512 MiB/);
    expect(vm?.vmState).toBe('error');
  });
});

describe('per-step deadlines', () => {
  it('given a slow but healthy migration (far more looks than one attempt window holds), then it is followed to the end, not given up after some attempts', async () => {
    harness = new SagaHarness();
    harness.cluster.migrationSteps = 30;
    harness.cluster.migrationLookMs = 8; // ~240 ms in all, against 3 attempts of a 40 ms window
    const vm = await harness.run(migrate());
    expect(harness.lastEvent().type).toBe('VMLiveMigrated');
    expect(vm).toMatchObject({ vmState: 'active', host: 'node-2' });
  });

  it('given a migration that outlives its step deadline, then the task fails as deadline exceeded and the migration is aborted, the VM ACTIVE on its source', async () => {
    harness = new SagaHarness();
    harness.cluster.migrationSteps = 1000;
    harness.deadlines.migrationMs = 50;
    const vm = await harness.run(migrate());
    expect(harness.ran).toEqual(['cluster:start-migration', 'cluster:follow-migration', 'cluster:abort-migration']);
    expect(harness.lastEvent()).toMatchObject({ type: 'TaskFailed', data: { stepId: 'follow-migration', error: { code: 'DeadlineExceeded' } } });
    expect(errorOf(harness.lastEvent()).message).toMatch(/deadline exceeded \(0\.05 s/);
    expect(vm).toMatchObject({ vmState: 'active', host: 'node-1' });
  });

  it('given the guest never reports its new size, then the confirmation fails as deadline exceeded and everything is undone', async () => {
    harness = new SagaHarness();
    harness.deadlines.guestResizeMs = 30;
    const getDomain = harness.hypervisor.getDomain.bind(harness.hypervisor);
    harness.hypervisor.getDomain = async (ref) => {
      const d = await getDomain(ref);
      return d && { ...d, guest: { vcpusOnline: 1, memoryMiB: 512 } }; // the guest ignores the hot-add
    };
    const vm = await harness.run(hotResize(2));
    expect(harness.lastEvent()).toMatchObject({ type: 'TaskFailed', data: { stepId: 'resize-guest', error: { code: 'DeadlineExceeded' } } });
    expect(harness.ran.slice(-2)).toEqual(['hypervisor:restore-guest-vcpus', 'cluster:shrink-launcher-pod']);
    // The size was never recorded: the one VM object write is the undo's, to the old size.
    expect(harness.cluster.calls.filter((c) => c.startsWith('setVmSize'))).toEqual(['setVmSize 1/512']);
    expect(vm).toMatchObject({ vmState: 'active', fault: null, flavor: { vcpus: 1 } });
  });
});

describe('live migration saga', () => {
  it('given a running VM on node-1, when live-migrated, then it runs on node-2 with the same domain size and the new host recorded', async () => {
    harness = new SagaHarness();
    const vm = await harness.run(migrate());
    expect(harness.ran).toEqual(['cluster:start-migration', 'cluster:follow-migration']);
    // read from the source's libvirt job: the share of its 512 MiB that no longer remains
    const total = 512 * 2 ** 20;
    const progress = harness.history.filter((e) => e.type === 'VMLiveMigrationProgressed').map((e) => e.data);
    expect(progress).toEqual([
      { vmId: VM_ID, taskId: 'task-mig', percent: 40, memory: { totalBytes: total, processedBytes: Math.round(total * 0.4), remainingBytes: total - Math.round(total * 0.4) } },
      { vmId: VM_ID, taskId: 'task-mig', percent: 80, memory: { totalBytes: total, processedBytes: Math.round(total * 0.8), remainingBytes: total - Math.round(total * 0.8) } },
    ]);
    expect(harness.lastEvent()).toEqual({ type: 'VMLiveMigrated', data: { vmId: VM_ID, taskId: 'task-mig', sourceHost: 'node-1', host: 'node-2' } });
    expect(vm).toMatchObject({ vmState: 'active', host: 'node-2', migration: null });
    expect(await harness.domain('node-2')).toMatchObject({ vcpus: { current: 1 } });
    expect(await harness.domain('node-1')).toBeNull();
  });

  it('given a target host, then the migration is asked for that node', async () => {
    harness = new SagaHarness();
    harness.cluster.addNode('node-3', 8, 4096);
    const vm = await harness.run(migrate('node-3'));
    expect(harness.cluster.calls).toContain('startMigration mig-task-mig to node-3');
    expect(vm?.host).toBe('node-3');
  });

  it('given the migration fails mid-way, then it is deleted, the task fails with the reason and the VM stays ACTIVE on node-1', async () => {
    harness = new SagaHarness();
    harness.cluster.failNextMigration = 'target virt-handler lost the connection';
    harness.cluster.migrationSteps = 4;
    const vm = await harness.run(migrate());
    expect(harness.ran).toEqual(['cluster:start-migration', 'cluster:follow-migration', 'cluster:abort-migration']);
    expect(harness.lastEvent()).toMatchObject({ type: 'TaskFailed', data: { action: 'live-migration', error: { code: 'MigrationFailed' } } });
    expect((harness.lastEvent().data as { error: { message: string } }).error.message).toMatch(/lost the connection/);
    expect(vm).toMatchObject({ vmState: 'active', host: 'node-1' });
    expect(await harness.domain('node-1')).not.toBeNull();
  });

  it('given an abort while the migration is followed, then the migration is deleted and the VM stays ACTIVE on node-1 (cancelled)', async () => {
    harness = new SagaHarness();
    harness.cluster.migrationSteps = 1000;
    harness.beforeStep = (step) => {
      if (step === 'follow-migration') harness.execute({ type: 'AbortLiveMigration', data: { vmId: VM_ID, taskId: 'task-mig' } });
    };
    const vm = await harness.run(migrate());
    expect(harness.cluster.calls).toContain('abortMigration mig-task-mig');
    expect(harness.lastEvent()).toMatchObject({ type: 'TaskFailed', data: { error: { code: 'MigrationCancelled' } } });
    expect(vm).toMatchObject({ vmState: 'active', host: 'node-1', task: null });
    expect(harness.cluster.migrations.size).toBe(0);
  });
});

describe('crashes and deadlines', () => {
  it('given every step of a hot resize loses its first result (crash after the side effect), then each runs again and the outcome is the same', async () => {
    harness = new SagaHarness();
    harness.loseFirstResultOf = new Set(['resize-launcher-pod', 'resize-guest']);
    const vm = await harness.run(hotResize(2, 1024));
    expect(harness.loseFirstResultOf.size).toBe(0);
    expect(vm).toMatchObject({ vmState: 'active', flavor: { vcpus: 2, ramMb: 1024 } });
    expect(harness.hypervisor.effects.count('setVcpus', VM_ID)).toBe(1);
    expect(harness.hypervisor.effects.count('setMemory', VM_ID)).toBe(1);
    expect(await harness.domain()).toMatchObject({ vcpus: { current: 2 }, memoryMiB: { current: 1024 } });
  });

  it('given every step of a live migration and of its abort loses its first result, then one migration ran and the VM ended on one node', async () => {
    harness = new SagaHarness();
    harness.loseFirstResultOf = new Set(['start-migration', 'follow-migration']);
    const vm = await harness.run(migrate());
    expect(harness.cluster.calls.filter((c) => c.startsWith('startMigration'))).toHaveLength(2);
    expect(harness.cluster.migrations.size).toBe(1);
    expect(vm?.host).toBe('node-2');
  });

  it('given a migration outlives the task deadline, then it is aborted and the VM stays ACTIVE on its source', async () => {
    harness = new SagaHarness();
    harness.cluster.migrationSteps = 1000;
    harness.beforeStep = (step) => {
      if (step === 'follow-migration') harness.execute({ type: 'ExpireTask', data: { vmId: VM_ID, taskId: 'task-mig', deadlineMs: 600_000 } });
    };
    const vm = await harness.run(migrate());
    expect(harness.ran).toEqual(['cluster:start-migration', 'cluster:follow-migration', 'cluster:abort-migration']);
    expect(harness.lastEvent()).toMatchObject({ type: 'TaskFailed', data: { error: { code: 'TaskTimeout' } } });
    expect(vm).toMatchObject({ vmState: 'active', host: 'node-1' });
  });

  it('given a hot resize outlives its deadline after the pod grew, then the pod is shrunk back and the VM keeps its size', async () => {
    harness = new SagaHarness();
    harness.beforeStep = (step) => {
      if (step === 'resize-guest') harness.execute({ type: 'ExpireTask', data: { vmId: VM_ID, taskId: 'task-hot', deadlineMs: 600_000 } });
    };
    const vm = await harness.run(hotResize(2));
    expect(harness.lastEvent()).toMatchObject({ type: 'TaskFailed', data: { stepId: 'resize-guest', error: { code: 'TaskTimeout' } } });
    expect(vm).toMatchObject({ vmState: 'active', flavor: { vcpus: 1 } });
    expect(harness.cluster.vm(REF).pod?.applied).toEqual({ vcpus: 1, memoryMiB: 512 });
    expect(await harness.domain()).toMatchObject({ vcpus: { current: 1 } });
  });
});

describe('live migration and the NICs\' ports (OVN requested-chassis)', () => {
  const PORT = 'port-1';
  async function withNic(h: SagaHarness) {
    await h.fabric.ensureLogicalSwitch({ id: 'net-1', name: 'net-1', cidrs: ['10.0.0.0/24'], excludeIps: [] });
    await h.fabric.ensurePort({ portId: PORT, switchId: 'net-1', mac: 'fa:16:3e:00:00:01', ips: ['10.0.0.5'], vmId: VM_ID, chassis: 'node-1' });
    h.history.push({
      type: 'VMInterfaceAttached',
      data: {
        vmId: VM_ID,
        taskId: 'task-nic',
        interface: { portId: PORT, networkId: 'net-1', networkName: 'net-1', macAddress: 'fa:16:3e:00:00:01', fixedIps: [{ subnetId: 's', ipAddress: '10.0.0.5', version: 4 }], vnicType: 'normal', autoCreated: false },
      },
    });
  }

  it('given a VM with a NIC on node-1, when live-migrated, then its port was bound to both nodes during the move and to node-2 alone after, with the same MAC and IP', async () => {
    harness = new SagaHarness();
    await withNic(harness);
    await harness.run(migrate());
    expect(harness.fabric.calls.count('beginPortMigration', PORT)).toBe(1);
    expect(await harness.fabric.getPort(PORT)).toEqual({ portId: PORT, switchId: 'net-1', mac: 'fa:16:3e:00:00:01', ips: ['10.0.0.5'], vmId: VM_ID, chassis: 'node-2' });
  });

  it('given a migration aborted after the port began moving, then the port is bound to node-1 alone again', async () => {
    harness = new SagaHarness();
    await withNic(harness);
    harness.cluster.migrationSteps = 1000;
    harness.beforeStep = (step) => {
      if (step === 'abort-migration') return;
      if (step === 'follow-migration') harness.execute({ type: 'AbortLiveMigration', data: { vmId: VM_ID, taskId: 'task-mig' } });
    };
    // The abort arrives before the follow step's first look: make the port move begin by hand, as a
    // follow step that saw the target would have.
    await harness.fabric.beginPortMigration(PORT, 'node-2');
    const vm = await harness.run(migrate());
    expect(vm?.host).toBe('node-1');
    expect(await harness.fabric.getPort(PORT)).toMatchObject({ chassis: 'node-1' });
    expect((await harness.fabric.getPort(PORT))?.migratingTo).toBeUndefined();
  });
});

describe('cold resize saga', () => {
  const resize = (flavor = SMALL): VirtualMachineCommand => ({ type: 'ResizeVM', data: { vmId: VM_ID, taskId: 'task-resize', flavor } });

  it('given a running VM, when resized and confirmed, then it restarted with the new size and headroom and is ACTIVE', async () => {
    harness = new SagaHarness();
    let vm = await harness.run(resize());
    expect(harness.ran).toEqual(['cluster:power-off-for-resize', 'cluster:resize-vm-object', 'cluster:power-on-resized']);
    expect(vm).toMatchObject({ vmState: 'resized', flavor: SMALL });
    expect(harness.cluster.vm(REF).template).toEqual({ vcpus: 2, maxVcpus: 8, memoryMiB: 1024, maxMemoryMiB: 4096 });
    expect(await harness.domain()).toMatchObject({ vcpus: { current: 2, max: 8 } });
    vm = await harness.run({ type: 'ConfirmResize', data: { vmId: VM_ID } });
    expect(vm).toMatchObject({ vmState: 'active', resize: null });
  });

  it('given a resized VM, when reverted, then it restarted with the old size and is ACTIVE with the old flavor', async () => {
    harness = new SagaHarness();
    await harness.run(resize());
    const vm = await harness.run({ type: 'RevertResize', data: { vmId: VM_ID, taskId: 'task-revert' } });
    expect(vm).toMatchObject({ vmState: 'active', flavor: TINY });
    expect(harness.cluster.vm(REF).template).toEqual({ vcpus: 1, maxVcpus: 4, memoryMiB: 512, maxMemoryMiB: 2048 });
  });

  it('given the new size does not fit anywhere, then the old size is restored, the VM runs again and the resize failed', async () => {
    harness = new SagaHarness();
    const vm = await harness.run(resize({ ...SMALL, ramMb: 8192, maxRamMb: 8192 }));
    expect(harness.ran.slice(-2)).toEqual(['cluster:restore-vm-size', 'cluster:power-on-after-resize']);
    expect(harness.lastEvent()).toMatchObject({ type: 'TaskFailed', data: { action: 'resize', error: { code: 'NoValidHost' } } });
    expect(vm).toMatchObject({ vmState: 'active', flavor: TINY, resize: null });
    expect(harness.cluster.vm(REF)).toMatchObject({ running: true, template: { memoryMiB: 512 } });
  });
});
