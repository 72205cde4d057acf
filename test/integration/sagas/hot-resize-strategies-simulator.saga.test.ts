import { v7 as uuidv7 } from 'uuid';
import type { KubevirtCluster } from '../../../src/adapters/kubernetes/kubevirt/kubevirt-cluster.js';
import { BOOT_SIZE_ANNOTATION } from '../../../src/adapters/kubernetes/kubevirt/vm-size.js';
import type { HypervisorPort } from '../../../src/adapters/libvirt/hypervisor.port.js';
import type { SqlDatabase } from '../../../src/adapters/sql/sql-database.js';
import type { Infrastructure } from '../../../src/app/infrastructure.js';
import { CLUSTER, HYPERVISOR, INFRASTRUCTURE, READ_MODEL_DB } from '../../../src/app/tokens.js';
import { vmRef } from '../../../src/handlers/workers/steps/vm-spec.js';
import { getInstanceAction, listInstanceActions } from '../../../src/projections/instance-actions/instance-actions.queries.js';
import { listMigrations } from '../../../src/projections/migrations/migrations.queries.js';
import type { ServerView } from '../../../src/projections/servers/server-view.js';
import { waitFor } from '../../support/redis.js';
import { ServerDriver } from '../../support/server-driver.js';
import { authHeaders, startTestApp, type TestApp } from '../../support/test-app.js';
import { FAST_SIMULATOR_ENV } from '../../support/fast-simulator-env.js';

/**
 * The two hot-resize strategies end to end on CLUSTER_BACKEND=simulator (the KubeVirt and libvirt
 * adapters against the cluster simulator, whose KubeVirt runs vmRolloutStrategy LiveUpdate):
 * live-update hot-plugs through KubeVirt's own migration; in-place never migrates, keeps the
 * template alone while the VM runs (the boot size waits in an annotation) and removes vCPUs.
 */
const SETTINGS = {
  ...FAST_SIMULATOR_ENV,
  SIM_PERSIST: 'false',
};

function kit(t: () => TestApp) {
  const servers = () => new ServerDriver(t());
  const db = () => t().app.get<SqlDatabase>(READ_MODEL_DB);
  const cluster = () => t().app.get<KubevirtCluster>(CLUSTER);
  /** The task ended: no task state and not in the given transitional status. */
  const ended = (vmId: string, transitional: string) =>
    waitFor(async () => {
      const s = await servers().server(vmId);
      return s && s.taskState === null && s.status !== transitional ? s : undefined;
    }, 30_000, `the task of ${vmId} to end`);
  const action = async (vmId: string, name: string) => {
    const a = (await listInstanceActions(db(), vmId, {})).find((x) => x.action === name);
    return a ? getInstanceAction(db(), vmId, a.requestId) : undefined;
  };
  const run = async (command: Parameters<ServerDriver['execute']>[0]) => {
    const result = await servers().execute(command);
    if (result.lastPosition !== null) await servers().projections().waitForPosition(result.lastPosition, 5_000);
  };
  const ref = (s: ServerView) => vmRef({ id: s.id, projectId: s.projectId });
  const vmObject = async (s: ServerView) => (await cluster().api.getCustom('virtualmachines', ref(s).namespace, ref(s).name))!;
  return { servers, db, cluster, ended, action, run, ref, vmObject };
}

describe('hot resize by KubeVirt live update (HOT_RESIZE_STRATEGY=live-update, cluster simulator)', () => {
  let t: TestApp;
  const k = kit(() => t);
  beforeAll(async () => {
    t = await startTestApp({ ...SETTINGS, HOT_RESIZE_STRATEGY: 'live-update' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('given an ACTIVE server, when hot resized, then the template changes, KubeVirt migrates it to a bigger pod and hot-plugs, and it is ACTIVE with the new size on its new node', async () => {
    const { vmId } = await k.servers().create('lu-ok');
    const before = await k.servers().settles(vmId, 'ACTIVE', 20_000);
    await k.run({ type: 'HotResizeVM', data: { vmId, taskId: uuidv7(), vcpus: 2, ramMb: 1024, strategy: 'live-update' } });
    const after = await k.ended(vmId, 'RESIZE');
    const action = await k.action(vmId, 'hotResize');
    expect({ status: after.status, vcpus: after.flavor.vcpus, ramMb: after.flavor.ramMb, moved: after.host !== before.host }).toEqual({ status: 'ACTIVE', vcpus: 2, ramMb: 1024, moved: true });
    expect(action?.events.map((e) => [e.event, e.result])).toEqual([
      ['update-vm-template', 'Success'],
      ['follow-live-update', 'Success'],
      ['confirm-guest-size', 'Success'],
    ]);
    const vmi = await k.cluster().getVmi(k.ref(after));
    expect({ cpu: vmi?.cpu?.sockets, memory: vmi?.memoryMiB?.guestCurrent, node: vmi?.node, hot: vmi?.conditions.filter((c) => c.type.startsWith('Hot')) }).toEqual({ cpu: 2, memory: 1024, node: after.host, hot: [] });
    expect(await t.app.get<HypervisorPort>(HYPERVISOR).getDomain({ vmId, node: after.host! })).toMatchObject({ vcpus: { current: 2 }, memoryMiB: { current: 1024 } });
  });

  it('given os-hotResize over the compute API, then the configured strategy is the one the action runs', async () => {
    const headers = { ...authHeaders(await t.login('demo')), 'openstack-api-version': 'compute 2.1' };
    const created = await t.request('POST', '/compute/v2.1/servers', {
      headers,
      body: { server: { name: 'lu-api', flavorRef: '1', imageRef: 'docker://quay.io/containerdisks/fedora:41', networks: 'none' } },
    });
    const vmId = created.json().server.id as string;
    await k.servers().settles(vmId, 'ACTIVE', 20_000);
    const res = await t.request('POST', `/compute/v2.1/servers/${vmId}/action`, { headers, body: { 'os-hotResize': { vcpus: 2 } } });
    expect(res.status).toBe(202);
    const after = await k.ended(vmId, 'RESIZE');
    expect(after.flavor.vcpus).toBe(2);
    expect((await k.action(vmId, 'hotResize'))?.events.map((e) => e.event)).toEqual(['update-vm-template', 'follow-live-update', 'confirm-guest-size']);
  });

  it("given KubeVirt's migration fails, then the task fails with the reason, the template goes back and the server is ACTIVE at its old size on its node", async () => {
    const { vmId } = await k.servers().create('lu-fail');
    const before = await k.servers().settles(vmId, 'ACTIVE', 20_000);
    t.app.get<Infrastructure>(INFRASTRUCTURE).simulator!.control.failNextMigration({ reason: 'the target node lost its network' });
    await k.run({ type: 'HotResizeVM', data: { vmId, taskId: uuidv7(), vcpus: 2, strategy: 'live-update' } });
    const after = await k.ended(vmId, 'RESIZE');
    const action = await k.action(vmId, 'hotResize');
    expect({ status: after.status, vcpus: after.flavor.vcpus, host: after.host }).toEqual({ status: 'ACTIVE', vcpus: 1, host: before.host });
    expect(action?.message).toBe('Error');
    expect(action?.events.find((e) => e.result === 'Error')).toMatchObject({ event: 'follow-live-update', traceback: 'MigrationFailed' });
    expect(action?.events.find((e) => e.result === 'Error')?.details).toMatch(/lost its network/);
    const vm = await k.vmObject(after);
    expect((vm.spec as { template: { spec: { domain: { cpu: { sockets: number } } } } }).template.spec.domain.cpu.sockets).toBe(1);
  });
});

describe('hot resize in place (the default, cluster simulator)', () => {
  let t: TestApp;
  const k = kit(() => t);
  beforeAll(async () => {
    t = await startTestApp(SETTINGS);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('given an ACTIVE server, when grown in place, then it does not move, the running template is left alone (LiveUpdate would migrate it) and a reboot boots with the new size', async () => {
    const { vmId } = await k.servers().create('ip-grow');
    const before = await k.servers().settles(vmId, 'ACTIVE', 20_000);
    await k.run({ type: 'HotResizeVM', data: { vmId, taskId: uuidv7(), vcpus: 2 } });
    const after = await k.ended(vmId, 'RESIZE');
    expect({ status: after.status, vcpus: after.flavor.vcpus, host: after.host }).toEqual({ status: 'ACTIVE', vcpus: 2, host: before.host });
    const vm = await k.vmObject(after);
    expect((vm.spec as { template: { spec: { domain: { cpu: { sockets: number } } } } }).template.spec.domain.cpu.sockets).toBe(1);
    expect(JSON.parse((vm.metadata.annotations as Record<string, string>)[BOOT_SIZE_ANNOTATION]!)).toMatchObject({ vcpus: 2 });
    const migrations = await k.cluster().api.listCustom('virtualmachineinstancemigrations', k.ref(after).namespace);
    expect(migrations.items.filter((m) => (m.spec as { vmiName: string }).vmiName === k.ref(after).name)).toEqual([]);

    await k.run({ type: 'RebootVM', data: { vmId, taskId: uuidv7(), rebootType: 'HARD' } });
    const rebooted = await k.ended(vmId, 'HARD_REBOOT');
    expect(rebooted.status).toBe('ACTIVE');
    const vmi = await k.cluster().getVmi(k.ref(rebooted));
    expect(vmi?.cpu?.sockets).toBe(2);
    expect((await k.vmObject(rebooted)).metadata.annotations?.[BOOT_SIZE_ANNOTATION as never]).toBeUndefined();
  });

  it('given a server grown in place, when live-migrated, then its new launcher pod is grown to what the guest runs with (KubeVirt sizes it from the boot size)', async () => {
    const { vmId } = await k.servers().create('ip-migrate');
    await k.servers().settles(vmId, 'ACTIVE', 20_000);
    await k.run({ type: 'HotResizeVM', data: { vmId, taskId: uuidv7(), vcpus: 2, ramMb: 1024 } });
    const grown = await k.ended(vmId, 'RESIZE');
    expect(grown.flavor).toMatchObject({ vcpus: 2, ramMb: 1024 });
    await k.run({ type: 'LiveMigrateVM', data: { vmId, taskId: uuidv7(), targetHost: null } });
    const moved = await k.ended(vmId, 'MIGRATING');
    expect({ status: moved.status, moved: moved.host !== grown.host }).toEqual({ status: 'ACTIVE', moved: true });
    const pod = await k.cluster().getPodResize(k.ref(moved));
    expect({ state: pod?.state, applied: pod?.applied }).toEqual({ state: 'Done', applied: { vcpus: 2, memoryMiB: 1024 } });
  });

  it('given 3 vCPUs, when hot resized to 1, then libvirt unplugs, the launcher pod gives the vCPUs back, and the server is ACTIVE with 1', async () => {
    const { vmId } = await k.servers().create('ip-shrink');
    await k.servers().settles(vmId, 'ACTIVE', 20_000);
    await k.run({ type: 'HotResizeVM', data: { vmId, taskId: uuidv7(), vcpus: 3 } });
    await k.ended(vmId, 'RESIZE');
    await k.run({ type: 'HotResizeVM', data: { vmId, taskId: uuidv7(), vcpus: 1 } });
    const after = await k.ended(vmId, 'RESIZE');
    const resizes = (await listInstanceActions(k.db(), vmId, {})).filter((a) => a.action === 'hotResize');
    const actions = await Promise.all(resizes.map((a) => getInstanceAction(k.db(), vmId, a.requestId)));
    const last = actions.find((a) => a?.events.some((e) => e.event === 'trim-launcher-pod'));
    expect(resizes).toHaveLength(2);
    expect({ status: after.status, vcpus: after.flavor.vcpus, steps: last?.events.map((e) => [e.event, e.result]) }).toEqual({
      status: 'ACTIVE',
      vcpus: 1,
      steps: [
        ['resize-guest', 'Success'],
        ['trim-launcher-pod', 'Success'],
      ],
    });
    expect(await t.app.get<HypervisorPort>(HYPERVISOR).getDomain({ vmId, node: after.host! })).toMatchObject({ vcpus: { current: 1 } });
    expect((await k.cluster().getPodResize(k.ref(after)))?.applied?.vcpus).toBe(1);
  });
});

describe('per-step deadlines on the cluster simulator', () => {
  let t: TestApp;
  const k = kit(() => t);
  beforeAll(async () => {
    // A migration takes ~9 controller steps of 40 ms; its deadline is a fraction of that.
    t = await startTestApp({ ...SETTINGS, SIM_STEP_MS: '40', MIGRATION_DEADLINE_SECONDS: '0.1' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('given a migration that outlives its deadline, then the action fails with "deadline exceeded", the migration is aborted and the server stays ACTIVE on its node', async () => {
    const { vmId } = await k.servers().create('deadline');
    const before = await k.servers().settles(vmId, 'ACTIVE', 20_000);
    await k.run({ type: 'LiveMigrateVM', data: { vmId, taskId: uuidv7(), targetHost: null } });
    const after = await k.ended(vmId, 'MIGRATING');
    const action = await k.action(vmId, 'live-migration');
    expect({ status: after.status, host: after.host }).toEqual({ status: 'ACTIVE', host: before.host });
    expect(action?.events.find((e) => e.result === 'Error')).toMatchObject({ event: 'follow-migration', traceback: 'DeadlineExceeded' });
    expect(action?.events.find((e) => e.result === 'Error')?.details).toMatch(/deadline exceeded/);
    expect(action?.events.map((e) => e.event)).toContain('abort-migration');
  });
});

describe('live migration aborted mid-way on the cluster simulator', () => {
  let t: TestApp;
  const k = kit(() => t);
  beforeAll(async () => {
    // A migration takes ~9 controller steps of 100 ms: time to abort it while it moves.
    t = await startTestApp({ ...SETTINGS, SIM_STEP_MS: '100' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('given a migration under way, when aborted, then KubeVirt deletes it, the server stays ACTIVE on its node and the migration shows cancelled', async () => {
    const { vmId } = await k.servers().create('abort');
    const before = await k.servers().settles(vmId, 'ACTIVE', 30_000);
    const taskId = uuidv7();
    await k.run({ type: 'LiveMigrateVM', data: { vmId, taskId, targetHost: null } });
    await waitFor(async () => {
      const a = await k.action(vmId, 'live-migration');
      return a?.events.some((e) => e.event === 'start-migration' && e.result === 'Success') ? a : undefined;
    }, 10_000, 'the migration to be followed');
    await k.run({ type: 'AbortLiveMigration', data: { vmId, taskId } });
    const after = await k.ended(vmId, 'MIGRATING');
    const action = await k.action(vmId, 'live-migration');
    expect({ status: after.status, host: after.host }).toEqual({ status: 'ACTIVE', host: before.host });
    expect(action?.message).toBe('Error');
    expect(action?.events.map((e) => [e.event, e.result])).toContainEqual(['abort-migration', 'Success']);
    expect((await listMigrations(k.db(), { instanceUuid: vmId }))[0]?.status).toBe('cancelled');
    const left = await k.cluster().api.listCustom('virtualmachineinstancemigrations', k.ref(after).namespace);
    expect(left.items.filter((m) => (m.spec as { vmiName: string }).vmiName === k.ref(after).name && !['Failed', 'Succeeded'].includes((m.status as { phase?: string })?.phase ?? ''))).toEqual([]);
  });
});
