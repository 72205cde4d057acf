import { PermanentAdapterError } from '../../../src/adapters/adapter-errors.js';
import type { RecordedEvent } from '../../../src/adapters/event-store/event-envelope.js';
import type { LiveChangeClusterPort, NicSpec, VmiObservation, VmRef } from '../../../src/adapters/kubernetes/cluster.port.js';
import { SimulatedFabric } from '../../../src/adapters/ovs/simulated-fabric.js';
import type { QueuedJob } from '../../../src/adapters/queue/job-queue.port.js';
import { RetryableJobError } from '../../../src/adapters/queue/retryable-job.error.js';
import type { PortCommand } from '../../../src/domain/port/port.commands.js';
import { portDecider } from '../../../src/domain/port/port.decider.js';
import type { PortEvent } from '../../../src/domain/port/port.events.js';
import type { PortState } from '../../../src/domain/port/port.state.js';
import type { VmInterface } from '../../../src/domain/virtual-machine/interface-attachment.js';
import type { VirtualMachineCommand } from '../../../src/domain/virtual-machine/virtual-machine.commands.js';
import { virtualMachineDecider } from '../../../src/domain/virtual-machine/virtual-machine.decider.js';
import type { VirtualMachineEvent } from '../../../src/domain/virtual-machine/virtual-machine.events.js';
import type { VirtualMachineState } from '../../../src/domain/virtual-machine/virtual-machine.state.js';
import type { SagaJob } from '../../../src/handlers/sagas/saga-job.js';
import { queueForStep } from '../../../src/handlers/sagas/step-queues.js';
import { jobsForEvent } from '../../../src/handlers/sagas/vm-task.process-manager.js';
import { SagaJobProcessor } from '../../../src/handlers/workers/saga-job-processor.js';
import { nicName } from '../../../src/handlers/workers/steps/nic-step-ports.js';
import { vmRef } from '../../../src/handlers/workers/steps/vm-spec.js';
import { NOW, VM_ID, events } from '../domain/vm-fixtures.js';

const REF = vmRef({ id: VM_ID, projectId: 'project-a' });
const PORT_ID = '0190f5f4-0000-7000-8000-0000000000aa';
const meta = { requestId: 'req-1', correlationId: 'req-1', causationId: 'req-1', actor: { userId: 'u', projectId: 'project-a', roles: ['member'] } };
const NIC: VmInterface = {
  portId: PORT_ID,
  networkId: 'net-1',
  networkName: 'private',
  macAddress: 'fa:16:3e:00:00:0a',
  fixedIps: [{ subnetId: 'sub-4', ipAddress: '10.0.0.5', version: 4 }],
  vnicType: 'normal',
  autoCreated: false,
};

/**
 * The cluster's NIC hotplug as KubeVirt shows it: the template edit at once; then, after
 * `showAfterPolls` VMI reads, a plugged NIC listed from the pod's network status alone
 * (`multus-status`), and `lagPolls` reads later in the domain too. An unplugged NIC leaves the
 * domain first and the list `lagPolls` reads later.
 */
class FakeHotplugCluster {
  readonly template = new Map<string, NicSpec>();
  private readonly inPod = new Set<string>();
  private readonly inDomain = new Set<string>();
  /** VMI reads since the last attach or detach. */
  polls = 0;
  showAfterPolls = 1;
  lagPolls = 1;
  lastInterfaces: VmiObservation['interfaces'] = [];
  attachCalls = 0;
  detachCalls = 0;
  failAttach: Error | null = null;
  running = true;
  vmDeleted = false;

  async deleteVm(): Promise<void> {
    this.vmDeleted = true;
  }

  async getVm(ref: VmRef): Promise<unknown> {
    return this.vmDeleted ? null : { ref, vmId: VM_ID, exists: true, printableStatus: 'Running' };
  }

  async attachNic(_ref: VmRef, nic: NicSpec): Promise<void> {
    this.attachCalls += 1;
    if (this.failAttach) throw this.failAttach;
    this.template.set(nic.name, nic);
    this.polls = 0;
  }

  async detachNic(_ref: VmRef, name: string): Promise<void> {
    this.detachCalls += 1;
    this.template.delete(name);
    this.polls = 0;
  }

  async getVmi(ref: VmRef): Promise<VmiObservation | null> {
    if (!this.running) return null;
    this.polls += 1;
    const first = this.polls >= this.showAfterPolls;
    const second = this.polls >= this.showAfterPolls + this.lagPolls;
    for (const name of this.template.keys()) {
      if (first) this.inPod.add(name);
      if (second) this.inDomain.add(name);
    }
    for (const name of [...this.inPod]) {
      if (this.template.has(name)) continue;
      if (first) this.inDomain.delete(name);
      if (second) this.inPod.delete(name);
    }
    this.lastInterfaces = [...this.inPod].map((name) => {
      const inDomain = this.inDomain.has(name);
      return { name, ipAddresses: [], infoSource: inDomain ? 'domain, guest-agent, multus-status' : 'multus-status', inDomain };
    });
    return { ref, uid: 'vmi-1', phase: 'Running', node: 'node-1', conditions: [], interfaces: this.lastInterfaces, migrationState: null, cpu: null, memoryMiB: null };
  }
}

/**
 * AttachNic / DetachNic in memory: the VM and port deciders append to histories, the process manager
 * turns each new VM event into jobs, the job processor runs them through the fake hotplug cluster and
 * the simulated fabric, and the port commands go to the port's decider.
 */
class NicHarness {
  readonly cluster = new FakeHotplugCluster();
  readonly fabric = new SimulatedFabric();
  readonly history: VirtualMachineEvent[] = [...events.built()];
  readonly portHistory: PortEvent[] = [];
  readonly deletedPorts: string[] = [];
  readonly ran: string[] = [];
  loseFirstResultOf = new Set<string>();
  private readonly queue: SagaJob[] = [];
  private position = 0;
  readonly processor: SagaJobProcessor;

  constructor(options: { hotplug?: boolean } = {}) {
    this.portCommand({
      type: 'CreatePort',
      data: { portId: PORT_ID, networkId: 'net-1', projectId: 'project-a', macAddress: NIC.macAddress, fixedIps: [{ subnetId: 'sub-4', ipAddress: '10.0.0.5' }] },
    });
    this.processor = new SagaJobProcessor({
      execute: async (command) => {
        if ((command.type === 'RecordStepSucceeded' || command.type === 'RecordStepFailed') && this.loseFirstResultOf.delete(command.data.stepId)) {
          throw new Error('the event store did not answer');
        }
        this.execute(command);
      },
      loadVm: async () => this.state(),
      cluster: this.cluster as unknown as LiveChangeClusterPort,
      convergenceTimeoutMs: 40,
      pollIntervalMs: 2,
      nics: {
        cluster: options.hotplug === false ? null : (this.cluster as unknown as LiveChangeClusterPort),
        fabric: this.fabric,
        port: async (command) => this.portCommand(command),
        loadPort: async () => this.port(),
        deletePort: async (portId) => {
          this.portCommand({ type: 'DeletePort', data: { portId } });
          this.deletedPorts.push(portId);
        },
        switchFor: async (networkId) => ({ id: networkId, name: 'private', cidrs: ['10.0.0.0/24'], excludeIps: ['10.0.0.1'] }),
      },
    });
  }

  port(): PortState {
    return this.portHistory.reduce(portDecider.evolve, null);
  }

  portCommand(command: PortCommand): void {
    this.portHistory.push(...portDecider.decide(command, this.port(), { now: NOW }));
  }

  state(): VirtualMachineState {
    return this.history.reduce(virtualMachineDecider.evolve, null);
  }

  execute(command: VirtualMachineCommand): void {
    for (const event of virtualMachineDecider.decide(command, this.state(), { now: NOW })) {
      this.history.push(event);
      const recorded = { ...event, id: `evt-${this.position}`, schemaVersion: 1, metadata: meta, occurredAt: NOW, streamId: `vm-${VM_ID}`, revision: this.position, position: this.position + 1, recordedAt: NOW } as RecordedEvent;
      this.position += 1;
      this.queue.push(...jobsForEvent(recorded, this.state()));
    }
  }

  async run(command?: VirtualMachineCommand): Promise<VirtualMachineState> {
    if (command) this.execute(command);
    for (let job = this.queue.shift(); job; job = this.queue.shift()) {
      if (job.data.kind !== 'step') continue;
      this.ran.push(`${job.queue}:${job.name}`);
      for (let attempt = 0; ; attempt++) {
        try {
          await this.processor.process(queued(job, attempt));
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
}

function queued(job: SagaJob, attemptsMade: number): QueuedJob {
  let progress: object = {};
  return {
    id: job.id,
    queue: job.queue,
    name: job.name,
    data: job.data,
    attemptsMade,
    maxAttempts: 5,
    firstStartedAt: NOW,
    get progress() {
      return progress;
    },
    updateProgress: async (p) => {
      progress = p as object;
    },
  };
}

const attach = (nic: VmInterface = NIC): VirtualMachineCommand => ({ type: 'AttachInterface', data: { vmId: VM_ID, taskId: 't-att', interface: nic } });
const detach = (): VirtualMachineCommand => ({ type: 'DetachInterface', data: { vmId: VM_ID, taskId: 't-det', portId: PORT_ID } });

describe('AttachNic saga', () => {
  it('given a running VM and a free port, when attached, then the port is bound, the fabric port is on the VM\'s node and the VMI lists the NIC', async () => {
    const h = new NicHarness();
    const vm = await h.run(attach());
    expect(h.ran).toEqual(['fabric:bind-port', 'fabric:create-fabric-port', 'cluster:attach-nic', 'cluster:await-nic', 'fabric:confirm-port-binding']);
    expect(h.lastEvent().type).toBe('VMInterfaceAttached');
    expect(vm!.interfaces.map((i) => i.portId)).toEqual([PORT_ID]);
    expect(h.port()).toMatchObject({ phase: 'bound', deviceId: VM_ID, hostId: 'node-1', deviceOwner: 'compute:nova' });
    expect(await h.fabric.getPort(PORT_ID)).toMatchObject({ switchId: 'net-1', mac: NIC.macAddress, ips: ['10.0.0.5'], vmId: VM_ID, chassis: 'node-1' });
    expect(h.cluster.template.get(nicName(PORT_ID))).toEqual({
      name: nicName(PORT_ID),
      network: { namespace: REF.namespace, name: 'net-net-1' },
      macAddress: NIC.macAddress,
      ipAddress: '10.0.0.5',
    });
  });

  it('given the VMI lists the NIC from multus-status before the domain has it, when attached, then await-nic waits for the domain', async () => {
    const h = new NicHarness();
    h.cluster.lagPolls = 4;
    await h.run(attach());
    expect(h.lastEvent().type).toBe('VMInterfaceAttached');
    expect(h.cluster.polls).toBe(h.cluster.showAfterPolls + 4);
    expect(h.cluster.lastInterfaces).toEqual([expect.objectContaining({ name: nicName(PORT_ID), infoSource: 'domain, guest-agent, multus-status', inDomain: true })]);
  });

  it('given the cluster refuses the attach, then the NIC and the fabric port are undone, the port is unbound and attach_interface failed with why', async () => {
    const h = new NicHarness();
    h.cluster.failAttach = new PermanentAdapterError('Invalid', 'the NAD net-net-1 does not exist');
    const vm = await h.run(attach());
    expect(h.ran.slice(3)).toEqual(['cluster:detach-nic', 'fabric:delete-fabric-port', 'fabric:fail-port-binding']);
    expect(h.lastEvent()).toMatchObject({ type: 'TaskFailed', data: { action: 'attach_interface', stepId: 'attach-nic', error: { code: 'Invalid', message: 'the NAD net-net-1 does not exist' } } });
    expect(h.lastEvent().data).not.toHaveProperty('cleanupError');
    expect(vm).toMatchObject({ vmState: 'active', interfaces: [], task: null });
    expect(h.port()).toMatchObject({ phase: 'unbound', deviceId: '', hostId: null });
    expect(await h.fabric.listPorts()).toEqual([]);
  });

  it('given a port the attach created (net_id), when the attach fails, then the port is deleted too', async () => {
    const h = new NicHarness();
    h.cluster.failAttach = new PermanentAdapterError('Invalid', 'no');
    await h.run(attach({ ...NIC, autoCreated: true }));
    expect(h.deletedPorts).toEqual([PORT_ID]);
    expect(h.port()?.deleted).toBe(true);
  });

  it('given a cluster adapter that cannot hotplug, then the attach fails with NotSupported and nothing is left behind', async () => {
    const h = new NicHarness({ hotplug: false });
    await h.run(attach());
    expect(h.lastEvent()).toMatchObject({ type: 'TaskFailed', data: { error: { code: 'NotSupported' } } });
    expect(h.lastEvent().data).not.toHaveProperty('cleanupError');
    expect(h.port()?.phase).toBe('unbound');
    expect(await h.fabric.listPorts()).toEqual([]);
  });

  it('given the port is bound to another VM meanwhile, then the bind fails with PortInUse and the other VM keeps it', async () => {
    const h = new NicHarness();
    h.portCommand({ type: 'RequestPortBinding', data: { portId: PORT_ID, deviceId: 'other-vm', deviceOwner: 'compute:nova', hostId: null } });
    await h.run(attach());
    expect(h.lastEvent()).toMatchObject({ type: 'TaskFailed', data: { stepId: 'bind-port', error: { code: 'PortInUse' } } });
    expect(h.port()).toMatchObject({ phase: 'binding', deviceId: 'other-vm' });
  });

  it('given every step loses its first result (a crash after the side effect), then each runs again harmlessly and the port is bound once', async () => {
    const h = new NicHarness();
    h.cluster.showAfterPolls = 3;
    for (const step of ['bind-port', 'create-fabric-port', 'attach-nic', 'await-nic', 'confirm-port-binding']) h.loseFirstResultOf.add(step);
    await h.run(attach());
    expect(h.lastEvent().type).toBe('VMInterfaceAttached');
    expect(h.portHistory.map((e) => e.type)).toEqual(['PortCreated', 'PortBindingRequested', 'PortBound']);
    expect(h.fabric.effects.count('createPort', PORT_ID)).toBe(1);
    expect(h.cluster.template.size).toBe(1);
  });
});

describe('DetachNic saga', () => {
  it('given an attached port, when detached, then the NIC leaves the VMI, the fabric port goes and the port is unbound', async () => {
    const h = new NicHarness();
    await h.run(attach());
    h.ran.length = 0;
    const vm = await h.run(detach());
    expect(h.ran).toEqual(['cluster:detach-nic', 'cluster:await-nic-gone', 'fabric:unbind-port', 'fabric:delete-fabric-port', 'fabric:confirm-port-unbinding']);
    expect(h.lastEvent().type).toBe('VMInterfaceDetached');
    expect(vm!.interfaces).toEqual([]);
    expect(h.port()).toMatchObject({ phase: 'unbound', deviceId: '' });
    expect(h.port()?.deleted).toBe(false);
    expect(await h.fabric.listPorts()).toEqual([]);
    expect(h.cluster.template.size).toBe(0);
  });

  it('given the NIC left the domain but the VMI still lists it from multus-status, when detached, then await-nic-gone is done', async () => {
    const h = new NicHarness();
    await h.run(attach());
    h.cluster.lagPolls = 50;
    await h.run(detach());
    expect(h.lastEvent().type).toBe('VMInterfaceDetached');
    expect(h.cluster.polls).toBe(h.cluster.showAfterPolls);
    expect(h.cluster.lastInterfaces).toEqual([expect.objectContaining({ name: nicName(PORT_ID), infoSource: 'multus-status', inDomain: false })]);
  });

  it('given a port the attach created, when detached, then the port is deleted (its addresses and MAC released)', async () => {
    const h = new NicHarness();
    await h.run(attach({ ...NIC, autoCreated: true }));
    await h.run(detach());
    expect(h.deletedPorts).toEqual([PORT_ID]);
  });

  it('given every detach step loses its first result, then the outcome is the same', async () => {
    const h = new NicHarness();
    await h.run(attach());
    for (const step of ['detach-nic', 'await-nic-gone', 'unbind-port', 'delete-fabric-port', 'confirm-port-unbinding']) h.loseFirstResultOf.add(step);
    await h.run(detach());
    expect(h.lastEvent().type).toBe('VMInterfaceDetached');
    expect(h.portHistory.map((e) => e.type)).toEqual(['PortCreated', 'PortBindingRequested', 'PortBound', 'PortUnbindingRequested', 'PortUnbound']);
  });
});

describe('server delete with ports plugged', () => {
  it('given an attached port, when the server is deleted, then after the VM object the port is unbound and its fabric port gone', async () => {
    const h = new NicHarness();
    await h.run(attach());
    h.ran.length = 0;
    await h.run({ type: 'DeleteVM', data: { vmId: VM_ID, taskId: 't-del' } });
    expect(h.ran).toEqual(['cluster:delete-vm-object', 'fabric:release-ports']);
    expect(h.lastEvent().type).toBe('VMDeleted');
    expect(h.port()).toMatchObject({ phase: 'unbound', deviceId: '', deleted: false });
    expect(await h.fabric.listPorts()).toEqual([]);
  });

  it('given a port the attach made, when the server is deleted, then the port is deleted too, once even if the step runs again', async () => {
    const h = new NicHarness();
    await h.run(attach({ ...NIC, autoCreated: true }));
    h.loseFirstResultOf.add('release-ports');
    await h.run({ type: 'DeleteVM', data: { vmId: VM_ID, taskId: 't-del' } });
    expect(h.deletedPorts).toEqual([PORT_ID]);
  });

  it('given a server without ports, then its delete plan is unchanged', async () => {
    const h = new NicHarness();
    await h.run({ type: 'DeleteVM', data: { vmId: VM_ID, taskId: 't-del' } });
    expect(h.ran).toEqual(['cluster:delete-vm-object']);
  });
});

describe('process manager mapping', () => {
  it('runs each NIC step on its adapter\'s queue, one job per step, the first when the task starts', async () => {
    const h = new NicHarness();
    h.execute(attach());
    const started = { ...h.lastEvent(), id: 'evt-x', schemaVersion: 1, metadata: meta, occurredAt: NOW, streamId: `vm-${VM_ID}`, revision: 9, position: 10, recordedAt: NOW } as RecordedEvent;
    const jobs = jobsForEvent(started, h.state());
    expect(jobs.map((j) => [j.id, j.queue, j.name])).toEqual([['evt-x.bind-port', 'fabric', 'bind-port']]);
    for (const step of ['fail-port-binding', 'detach-nic', 'await-nic-gone', 'unbind-port', 'delete-fabric-port', 'confirm-port-unbinding']) expect(queueForStep(step)).toBeDefined();
  });
});
