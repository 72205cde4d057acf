import { v7 as uuidv7 } from 'uuid';
import type { Infrastructure } from '../../../src/app/infrastructure.js';
import { INFRASTRUCTURE } from '../../../src/app/tokens.js';
import type { ClusterSimulator, LoggedRequest } from '../../../src/cluster-simulator/cluster-simulator.js';
import { apiVersionOf, resourceTypes, type ResourceType } from '../../../src/cluster-simulator/resources.js';
import type { KubeObject } from '../../../src/cluster-simulator/store/kube-object.js';
import { SchemaValidator } from '../../../src/cluster-simulator/validation/schema-validator.js';
import type { CommandResult } from '../../../src/handlers/shared/command-result.js';
import { vmRef } from '../../../src/handlers/workers/steps/vm-spec.js';
import { waitFor } from '../../support/redis.js';
import { ServerDriver } from '../../support/server-driver.js';
import { startCatalogueApp, type CatalogueApp } from '../flavors/catalogue-app.js';
import { FAST_SIMULATOR_ENV } from '../../support/fast-simulator-env.js';

const SERVERS = '/compute/v2.1/servers';
const WRITES = ['POST', 'PUT', 'PATCH', 'DELETE'];

/** The resource a request path names: its type and, for /api/v1/... and /apis/g/v/..., the plural (with any subresource or action). */
function resourceOf(path: string): { type: ResourceType | undefined; what: string } {
  const parts = new URL(path, 'http://sim').pathname.split('/').filter(Boolean);
  const rest = parts[0] === 'api' ? parts.slice(2) : parts.slice(3);
  const [plural, , sub] = rest[0] === 'namespaces' && rest.length > 2 ? rest.slice(2) : rest;
  const group = parts[0] === 'api' ? '' : parts[1] === 'subresources.kubevirt.io' ? 'kubevirt.io' : parts[1];
  return { type: resourceTypes.find((t) => t.plural === plural && t.group === group), what: sub ? `${plural}/${sub}` : plural! };
}

/**
 * Every object the KubeVirt adapter writes in every saga, collected from the cluster simulator's
 * request log and checked against the published schemas (src/cluster-simulator/schemas) on their
 * own: every whole object sent (POST/PUT) and every object the sagas left behind (after patches).
 * The simulator refuses an invalid write with 422 as KubeVirt's webhook would, so each write's
 * answer is checked too, and the list of kinds of write makes sure no saga was skipped.
 */
describe('every object the KubeVirt adapter writes in every saga passes the schemas', () => {
  let c: CatalogueApp;
  let simulator: ClusterSimulator;
  let servers: ServerDriver;
  /** Requests the test itself made (the Multus attachment an operator would create), left out of the collection. */
  const ours = new Set<LoggedRequest>();

  beforeAll(async () => {
    c = await startCatalogueApp({ ...FAST_SIMULATOR_ENV, TASK_DEADLINE_SECONDS: '60' });
    simulator = c.t.app.get<Infrastructure>(INFRASTRUCTURE).simulator!;
    servers = new ServerDriver(c.t);
  });
  afterAll(async () => {
    await c?.close();
  });

  /** A command, and the read models up to what it appended, so that the wait below starts from its task. */
  const run = async (sent: Promise<CommandResult>) => {
    const result = await sent;
    if (result.lastPosition !== null) await servers.projections().waitForPosition(result.lastPosition, 5_000);
  };
  const untilIdle = (vmId: string, status: string) =>
    waitFor(async () => {
      const s = await servers.server(vmId);
      return s && s.taskState === null && s.status === status ? s : undefined;
    }, 30_000, `${vmId} ${status} with no task`);

  it('given each saga run once (create, stop, start, reboots, pause, unpause, hot resize, live migration, resize and revert, resize and confirm, NIC attach and detach, delete), then every write is schema-valid and was accepted', async () => {
    // The lifecycle and live-change sagas, through the command bus.
    const { vmId } = await servers.create('schema-1');
    await untilIdle(vmId, 'ACTIVE');
    for (const type of ['StopVM', 'StartVM'] as const) {
      await run(servers.act(type, vmId));
      await untilIdle(vmId, type === 'StopVM' ? 'SHUTOFF' : 'ACTIVE');
    }
    await run(servers.reboot(vmId, 'SOFT'));
    await untilIdle(vmId, 'ACTIVE');
    await run(servers.reboot(vmId, 'HARD'));
    await untilIdle(vmId, 'ACTIVE');
    await run(servers.act('PauseVM', vmId));
    await untilIdle(vmId, 'PAUSED');
    await run(servers.act('UnpauseVM', vmId));
    await untilIdle(vmId, 'ACTIVE');
    await run(servers.execute({ type: 'HotResizeVM', data: { vmId, taskId: uuidv7(), vcpus: 2, ramMb: 1024 } }));
    await waitFor(async () => ((await servers.server(vmId))?.flavor.vcpus === 2 ? true : undefined), 30_000, 'the hot resize');
    await untilIdle(vmId, 'ACTIVE');
    await run(servers.execute({ type: 'LiveMigrateVM', data: { vmId, taskId: uuidv7(), targetHost: null } }));
    await waitFor(async () => ((await servers.server(vmId))?.taskState === null && (await servers.server(vmId))?.status === 'ACTIVE' ? true : undefined), 30_000, 'the migration');
    const small = { id: '2', name: 'm1.small', vcpus: 1, ramMb: 2048, diskGb: 20, ephemeralGb: 0, swapMb: 0, maxVcpus: 4, maxRamMb: 8192, extraSpecs: {} };
    await run(servers.execute({ type: 'ResizeVM', data: { vmId, taskId: uuidv7(), flavor: small } }));
    await untilIdle(vmId, 'VERIFY_RESIZE');
    await run(servers.execute({ type: 'RevertResize', data: { vmId, taskId: uuidv7() } }));
    await untilIdle(vmId, 'ACTIVE');
    await run(servers.execute({ type: 'ResizeVM', data: { vmId, taskId: uuidv7(), flavor: small } }));
    await untilIdle(vmId, 'VERIFY_RESIZE');
    await run(servers.execute({ type: 'ConfirmResize', data: { vmId } }));
    await untilIdle(vmId, 'ACTIVE');

    // The NIC sagas, through Nova's os-interface on a server of the demo project.
    const net = (await c.call('POST', '/network/v2.0/networks', c.demo, { network: { name: 'schema-net' } })).json().network as { id: string };
    await c.call('POST', '/network/v2.0/subnets', c.demo, { subnet: { network_id: net.id, cidr: '10.31.0.0/24', ip_version: 4 } });
    const created = await c.call('POST', SERVERS, c.demo, { server: { name: 'schema-nic', flavorRef: '1', imageRef: 'docker://quay.io/containerdisks/fedora:41', networks: 'none' } });
    const nicServer = created.json().server.id as string;
    await waitFor(async () => ((await c.call('GET', `${SERVERS}/${nicServer}`, c.demo)).json().server.status === 'ACTIVE' ? true : undefined), 30_000, 'the NIC server ACTIVE');
    await createNad(nicServer, net.id);
    const attached = await c.call('POST', `${SERVERS}/${nicServer}/os-interface`, c.demo, { interfaceAttachment: { net_id: net.id } });
    expect(attached.status).toBe(200);
    const portId = attached.json().interfaceAttachment.port_id as string;
    expect((await c.call('DELETE', `${SERVERS}/${nicServer}/os-interface/${portId}`, c.demo)).status).toBe(202);
    await waitFor(async () => ((await c.call('GET', `${SERVERS}/${nicServer}/os-interface`, c.demo)).json().interfaceAttachments.length === 0 ? true : undefined), 30_000, 'the NIC detached');

    // What stays in the cluster is read back below; then the delete saga.
    const survivors = await clusterObjects();
    await run(servers.act('DeleteVM', vmId));
    await untilIdle(vmId, 'DELETED').catch(async () => servers.settles(vmId, 'DELETED', 30_000));

    const writes = simulator.control.requests().filter((r) => WRITES.includes(r.method) && !r.path.startsWith('/simulator/') && !ours.has(r));
    const problems: string[] = [];
    const validator = SchemaValidator.shared();
    const validatedKinds = new Set<string>();
    for (const write of writes) {
      const { type, what } = resourceOf(write.path);
      // Answers the adapter expects and handles: AlreadyExists of an ensure that raced, NotFound of a delete already done.
      const accepted = write.status !== null && (write.status < 300 || (write.status === 409 && write.method === 'POST') || (write.status === 404 && write.method === 'DELETE'));
      if (!accepted) problems.push(`${write.method} ${write.path} answered ${write.status}: ${JSON.stringify(write.body).slice(0, 300)}`);
      const body = write.body as KubeObject | null;
      if ((write.method === 'POST' || write.method === 'PUT') && type && body && typeof body === 'object' && 'kind' in body && !what.includes('/')) {
        for (const cause of validator.validate(type, body)) problems.push(`${write.method} ${write.path}: ${cause.field ?? ''} ${cause.message}`);
        validatedKinds.add(type.kind);
      }
    }
    for (const { type, object } of survivors) {
      for (const cause of validator.validate(type, object)) problems.push(`${type.kind} ${object.metadata.namespace}/${object.metadata.name} as left: ${cause.field ?? ''} ${cause.message}`);
    }
    expect(problems).toEqual([]);
    expect([...validatedKinds]).toEqual(expect.arrayContaining(['Namespace', 'VirtualMachine', 'VirtualMachineInstanceMigration']));
    expect(new Set(survivors.map((s) => s.type.kind))).toEqual(new Set(['Namespace', 'VirtualMachine', 'VirtualMachineInstanceMigration', 'Pod']));

    const kinds = new Set(writes.map((w) => `${w.method} ${resourceOf(w.path).what}`));
    expect([...kinds].sort()).toEqual(expect.arrayContaining([
      'POST namespaces', 'POST virtualmachines', 'POST virtualmachineinstancemigrations',
      'PUT virtualmachines/stop', 'PUT virtualmachines/start', 'PUT virtualmachines/restart',
      'PUT virtualmachineinstances/pause', 'PUT virtualmachineinstances/unpause',
      'PATCH pods/resize', 'PATCH virtualmachines', 'DELETE virtualmachines',
    ]));
    // NIC hotplug and unplug are VM spec patches on the NIC server's VirtualMachine.
    const nicVm = `/virtualmachines/vm-${nicServer}`;
    expect(writes.filter((w) => w.method === 'PATCH' && w.path.split('?')[0]!.endsWith(nicVm)).length).toBeGreaterThanOrEqual(2);
  });

  /** Every object of the kinds the adapter writes, as the cluster holds them now. */
  async function clusterObjects(): Promise<Array<{ type: ResourceType; object: KubeObject }>> {
    const token = /token: (\S+)/.exec(simulator.kubeconfig())![1];
    const found: Array<{ type: ResourceType; object: KubeObject }> = [];
    for (const type of resourceTypes.filter((t) => ['VirtualMachine', 'VirtualMachineInstanceMigration', 'Secret', 'Pod', 'Namespace'].includes(t.kind))) {
      const base = type.group === '' ? '/api/v1' : `/apis/${type.group}/${type.version}`;
      const list = await (await fetch(`${simulator.url}${base}/${type.plural}`, { headers: { authorization: `Bearer ${token}` } })).json() as { items: KubeObject[] };
      // core lists leave kind and apiVersion off their items
      for (const object of list.items) found.push({ type, object: { ...object, apiVersion: object.apiVersion ?? apiVersionOf(type), kind: object.kind ?? type.kind } });
    }
    return found;
  }

  /** The network's Multus attachment in the server's namespace, as the operator makes it (see os-interface.api.test.ts). */
  async function createNad(serverId: string, networkId: string): Promise<void> {
    const server = (await c.call('GET', `${SERVERS}/${serverId}`, c.demo)).json().server;
    const token = /token: (\S+)/.exec(simulator.kubeconfig())![1];
    const namespace = vmRef({ id: serverId, projectId: server.tenant_id }).namespace;
    const path = `/apis/k8s.cni.cncf.io/v1/namespaces/${namespace}/network-attachment-definitions`;
    const res = await fetch(`${simulator.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ apiVersion: 'k8s.cni.cncf.io/v1', kind: 'NetworkAttachmentDefinition', metadata: { name: `net-${networkId}`, namespace }, spec: { config: JSON.stringify({ cniVersion: '0.3.1', type: 'bridge' }) } }),
    });
    for (const r of simulator.control.requests()) if (r.method === 'POST' && r.path === path && (r.body as KubeObject).metadata.name === `net-${networkId}`) ours.add(r);
    if (res.status !== 201 && res.status !== 409) throw new Error(`NAD create: ${res.status} ${await res.text()}`);
  }
});
