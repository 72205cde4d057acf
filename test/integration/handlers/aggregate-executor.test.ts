import type { EventStore } from '../../../src/adapters/event-store/event-store.port.js';
import { DEFAULT_FLAVORS } from '../../../src/domain/flavor/default-flavors.js';
import { flavorDecider } from '../../../src/domain/flavor/flavor.decider.js';
import { FlavorNotFoundError } from '../../../src/domain/flavor/flavor.errors.js';
import { FLAVOR_EVENT_VERSIONS, flavorStreamId } from '../../../src/domain/flavor/flavor.events.js';
import { snapshotOf, type FlavorState } from '../../../src/domain/flavor/flavor.state.js';
import { virtualMachineDecider } from '../../../src/domain/virtual-machine/virtual-machine.decider.js';
import { InstanceExistsError, InstanceInvalidStateError } from '../../../src/domain/virtual-machine/virtual-machine.errors.js';
import { VIRTUAL_MACHINE_EVENT_VERSIONS, vmStreamId } from '../../../src/domain/virtual-machine/virtual-machine.events.js';
import { DEFAULT_IMAGES } from '../../../src/domain/image/default-images.js';
import { imageDecider } from '../../../src/domain/image/image.decider.js';
import { ImageNotFoundError } from '../../../src/domain/image/image.errors.js';
import { IMAGE_EVENT_VERSIONS, imageStreamId } from '../../../src/domain/image/image.events.js';
import { AggregateExecutor } from '../../../src/handlers/shared/aggregate-executor.js';
import { SystemClock } from '../../../src/handlers/shared/clock.js';
import { UuidV7Generator } from '../../../src/handlers/shared/uuid-v7-generator.js';
import { CreateServerHandler } from '../../../src/handlers/virtual-machine/create-server.handler.js';
import { CreateServerCommand } from '../../../src/handlers/virtual-machine/create-server.command.js';
import { openSqliteEventStore } from '../../support/read-model-db.js';

const actor = { userId: 'user-a', projectId: 'project-a', roles: ['member'] };
const meta = { requestId: 'req-0190f5f4-0000-7000-8000-00000000000a', actor };
const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('AggregateExecutor and the CreateServer handler', () => {
  let store: EventStore;
  let executor: AggregateExecutor;

  beforeEach(async () => {
    store = await openSqliteEventStore();
    executor = new AggregateExecutor(store, new SystemClock(), new UuidV7Generator());
    await executor.execute(flavorStreamId('2'), flavorDecider, { type: 'CreateFlavor', data: DEFAULT_FLAVORS[1]! }, meta, FLAVOR_EVENT_VERSIONS);
  });
  afterEach(async () => {
    await store.close();
  });

  const createServer = (vmId: string, flavorId = '2', imageRef = 'docker://quay.io/containerdisks/fedora:41') =>
    new CreateServerHandler(executor).execute(
      new CreateServerCommand(
        { vmId, taskId: `${vmId}-create`, name: 'db-1', projectId: 'project-a', userId: 'user-a', flavorId, imageRef, keyName: null, metadata: {}, availabilityZone: null, userDataSha256: null },
        meta,
      ),
    );

  it('given a flavor, when a server is created, then the VM stream holds VMCreated with the flavor snapshot and a full envelope', async () => {
    const result = await createServer('vm-1');

    expect(result).toMatchObject({ streamId: 'vm-vm-1', eventTypes: ['VMCreated'], revision: 0 });
    expect(result.lastPosition).toBeGreaterThan(0);
    const [event] = await store.readStream(vmStreamId('vm-1'));
    expect(event!.id).toMatch(UUID_V7);
    expect(event!.schemaVersion).toBe(VIRTUAL_MACHINE_EVENT_VERSIONS.VMCreated);
    expect(event!.metadata).toEqual({ requestId: meta.requestId, correlationId: meta.requestId, causationId: meta.requestId, actor });
    expect((event!.data as { flavor: { name: string; maxVcpus: number } }).flavor).toMatchObject({ name: 'm1.small', maxVcpus: 4 });
  });

  it("given a command sent by a client-named write, when executed, then its events carry the request's fingerprint (the evidence a retry after a lost reply looks for)", async () => {
    await executor.execute(flavorStreamId('1'), flavorDecider, { type: 'CreateFlavor', data: DEFAULT_FLAVORS[0]! }, { ...meta, requestFingerprint: 'f'.repeat(64) }, FLAVOR_EVENT_VERSIONS);

    const [event] = await store.readStream(flavorStreamId('1'));
    expect(event!.metadata).toEqual({ requestId: meta.requestId, correlationId: meta.requestId, causationId: meta.requestId, actor, requestFingerprint: 'f'.repeat(64) });
  });

  it('given no such flavor, when a server is created, then FlavorNotFound and nothing is appended', async () => {
    const head = await store.headPosition();
    await expect(createServer('vm-2', 'nope')).rejects.toBeInstanceOf(FlavorNotFoundError);
    expect(await store.headPosition()).toBe(head);
  });

  it('given a server, when its flavor is deleted, then the VM keeps its snapshot', async () => {
    await createServer('vm-3');
    await executor.execute(flavorStreamId('2'), flavorDecider, { type: 'DeleteFlavor', data: { id: '2' } }, meta, FLAVOR_EVENT_VERSIONS);
    const { state } = await executor.load(vmStreamId('vm-3'), virtualMachineDecider);
    expect(state?.flavor.name).toBe('m1.small');
  });

  it('given a built VM, when two stops race, then exactly one starts a task and the other is refused by task_state after being re-decided', async () => {
    await createServer('vm-4');
    const step = (stepId: string) =>
      executor.execute(vmStreamId('vm-4'), virtualMachineDecider, { type: 'RecordStepSucceeded', data: { vmId: 'vm-4', taskId: 'vm-4-create', stepId, startedAt: new Date().toISOString() } }, meta, VIRTUAL_MACHINE_EVENT_VERSIONS);
    await step('create-vm-object');
    await step('await-running');

    const stop = (taskId: string) =>
      executor.execute(vmStreamId('vm-4'), virtualMachineDecider, { type: 'StopVM', data: { vmId: 'vm-4', taskId } }, meta, VIRTUAL_MACHINE_EVENT_VERSIONS);
    const outcomes = await Promise.allSettled([stop('stop-a'), stop('stop-b')]);

    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    const refused = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toBeInstanceOf(InstanceInvalidStateError);
    expect(refused.reason.message).toBe("Cannot 'stop' instance vm-4 while it is in task_state powering-off");
    const types = (await store.readStream(vmStreamId('vm-4'))).map((e) => e.type);
    expect(types.filter((t) => t === 'VMStopRequested')).toHaveLength(1);
  });

  it('given a command that changes nothing, when executed, then nothing is appended and no position is returned', async () => {
    await createServer('vm-5');
    const result = await executor.execute(vmStreamId('vm-5'), virtualMachineDecider, { type: 'RenameVM', data: { vmId: 'vm-5', name: 'db-1' } }, meta, VIRTUAL_MACHINE_EVENT_VERSIONS);
    expect(result).toEqual({ streamId: 'vm-vm-5', eventTypes: [], lastPosition: null, revision: 0 });
  });

  it('given a VM this executor has folded, when another writer appends to its stream, then the next load folds the new events too', async () => {
    await createServer('vm-6');
    await executor.load(vmStreamId('vm-6'), virtualMachineDecider);
    const other = new AggregateExecutor(store, new SystemClock(), new UuidV7Generator());
    await other.execute(vmStreamId('vm-6'), virtualMachineDecider, { type: 'RenameVM', data: { vmId: 'vm-6', name: 'renamed-elsewhere' } }, meta, VIRTUAL_MACHINE_EVENT_VERSIONS);

    const { state, revision } = await executor.load(vmStreamId('vm-6'), virtualMachineDecider);
    expect(state?.name).toBe('renamed-elsewhere');
    expect(revision).toBe(1);
  });

  it("given a catalogue image, when a server is created from its id, then the VM boots from the image's registry reference", async () => {
    const image = DEFAULT_IMAGES[0]!;
    await executor.execute(imageStreamId(image.id), imageDecider, { type: 'RegisterImage', data: image }, meta, IMAGE_EVENT_VERSIONS);
    await createServer('vm-7', '2', image.id);
    const { state } = await executor.load(vmStreamId('vm-7'), virtualMachineDecider);
    expect(state).toMatchObject({ imageRef: image.id, imageSource: image.registryRef });
  });

  it('given no such image, when a server is created, then ImageNotFound and nothing is appended', async () => {
    const head = await store.headPosition();
    await expect(createServer('vm-8', '2', '00000000-0000-5000-8000-000000000000')).rejects.toBeInstanceOf(ImageNotFoundError);
    expect(await store.headPosition()).toBe(head);
  });

  it('given a new server id, when it is created, then its VM stream is not read first (the append expects no stream)', async () => {
    const { store: counting, reads } = countingReads(store);
    executor = new AggregateExecutor(counting, new SystemClock(), new UuidV7Generator());

    await createServer('vm-9');

    expect(reads).not.toContain(vmStreamId('vm-9'));
    expect((await store.readStream(vmStreamId('vm-9'))).map((e) => e.type)).toEqual(['VMCreated']);
  });

  it('given a server another writer made, when a create names its id again, then the conflict makes a real load and the domain refuses it, nothing appended', async () => {
    await createServer('vm-10');
    executor = new AggregateExecutor(store, new SystemClock(), new UuidV7Generator()); // knows nothing of vm-10
    const head = await store.headPosition();

    await expect(createServer('vm-10')).rejects.toBeInstanceOf(InstanceExistsError);

    expect(await store.headPosition()).toBe(head);
  });

  it('given a flavor this executor has folded, when a server is created, then the flavor stream is not read again (the append checks its revision)', async () => {
    await createServer('vm-11');
    const { store: counting, reads } = countingReads(store);
    const cachedFlavor = executor.cached(flavorStreamId('2'));
    executor = new AggregateExecutor(counting, new SystemClock(), new UuidV7Generator());
    await executor.load(flavorStreamId('2'), flavorDecider);
    reads.length = 0;

    await createServer('vm-12');

    expect(cachedFlavor).toBeDefined();
    expect(reads).toEqual([]);
    expect((await store.readStream(vmStreamId('vm-12'))).map((e) => e.type)).toEqual(['VMCreated']);
  });

  it('given a flavor another writer changed after this executor folded it, when a server is created, then the executor asks for the command again on a reread flavor and the VM holds the new one', async () => {
    await createServer('vm-15'); // folds flavor 2 into this executor's memory
    const other = new AggregateExecutor(store, new SystemClock(), new UuidV7Generator());
    await other.execute(flavorStreamId('2'), flavorDecider, { type: 'SetFlavorExtraSpecs', data: { id: '2', extraSpecs: { 'hw:cpu_policy': 'dedicated' } } }, meta, FLAVOR_EVENT_VERSIONS);
    const asked: boolean[] = [];

    await executor.execute(
      vmStreamId('vm-16'),
      virtualMachineDecider,
      async (reread) => {
        asked.push(reread);
        const { state: flavor, revision } = reread ? await executor.load(flavorStreamId('2'), flavorDecider) : executor.cached<FlavorState>(flavorStreamId('2'))!;
        const command = { type: 'CreateVM' as const, data: { vmId: 'vm-16', taskId: 'vm-16-create', name: 'db-2', projectId: 'project-a', userId: 'user-a', imageRef: 'docker://quay.io/containerdisks/fedora:41', imageSource: 'docker://quay.io/containerdisks/fedora:41', keyName: null, metadata: {}, availabilityZone: null, userDataSha256: null, flavor: snapshotOf(flavor!) } };
        return { command, alsoExpect: [{ streamId: flavorStreamId('2'), revision }] };
      },
      meta,
      VIRTUAL_MACHINE_EVENT_VERSIONS,
      { likelyNewStream: true },
    );

    expect(asked).toEqual([false, true]);
    const { state } = await executor.load(vmStreamId('vm-16'), virtualMachineDecider);
    expect(state?.flavor.extraSpecs).toMatchObject({ 'hw:cpu_policy': 'dedicated' });
    expect(await store.readStream(vmStreamId('vm-16'))).toHaveLength(1);
  });

  it('given a flavor another writer deleted after this executor folded it, when a server is created, then FlavorNotFound and nothing is appended', async () => {
    await createServer('vm-13'); // folds flavor 2 into this executor's memory
    const other = new AggregateExecutor(store, new SystemClock(), new UuidV7Generator());
    await other.execute(flavorStreamId('2'), flavorDecider, { type: 'DeleteFlavor', data: { id: '2' } }, meta, FLAVOR_EVENT_VERSIONS);
    const head = await store.headPosition();

    await expect(createServer('vm-14')).rejects.toBeInstanceOf(FlavorNotFoundError);

    expect(await store.headPosition()).toBe(head);
  });
});

/** The store, with the streams read through it listed. */
function countingReads(store: EventStore): { store: EventStore; reads: string[] } {
  const reads: string[] = [];
  const counting = new Proxy(store, {
    get: (target, key, receiver) =>
      key === 'readStream'
        ? (streamId: string, options?: object) => {
            reads.push(streamId);
            return target.readStream(streamId, options);
          }
        : Reflect.get(target, key, receiver),
  });
  return { store: counting, reads };
}
