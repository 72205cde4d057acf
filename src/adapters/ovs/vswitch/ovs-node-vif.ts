import type { ConnectionOptions } from 'node:tls';
import { PermanentAdapterError, TransientAdapterError } from '../../adapter-errors.js';
import { checkDeviceName, normalizeMac } from '../address-checks.js';
import { INTEGRATION_BRIDGE, type NodeVifPort, type VifInfo, type VifSpec } from '../node-vif.port.js';
import { OvsdbClient } from '../ovsdb/ovsdb-client.js';
import { decodeStringMap, decodeUuid, decodeUuidSet, namedUuid, ovsdbMap, ovsdbSet, uuid, type OvsdbRow } from '../ovsdb/ovsdb-encoding.js';
import { OvsdbOperationError } from '../ovsdb/ovsdb-errors.js';
import { assertNoRow, assertRows, type Condition, type Operation } from '../ovsdb/ovsdb-operations.js';

const DB = 'Open_vSwitch';
/** The external ids ovn-controller and Neutron/KubeVirt use on a VM's Interface. */
const IFACE_ID = 'iface-id';
const ATTACHED_MAC = 'attached-mac';
const VM_UUID = 'vm-uuid';
const IFACE_STATUS = 'iface-status';
const OWNED = [IFACE_ID, ATTACHED_MAC, VM_UUID, IFACE_STATUS];

interface Snapshot {
  bridges: Array<{ uuid: string; name: string; ports: string[] }>;
  ports: Array<{ uuid: string; name: string; interfaces: string[] }>;
  interfaces: Array<{ uuid: string; name: string; externalIds: Record<string, string> }>;
}

interface Located {
  iface: Snapshot['interfaces'][number];
  port: Snapshot['ports'][number] | undefined;
  bridge: Snapshot['bridges'][number] | undefined;
}

/**
 * NodeVifPort on a node's Open_vSwitch database (the ovsdb-server next to ovs-vswitchd). A node's
 * database is small (its bridges and its VMs' interfaces), so each call reads the three tables it
 * needs in one transaction and writes in a second one whose operations must match their rows (the
 * client's guard) and whose inserts are guarded by the name indexes: a concurrent writer aborts the
 * write, which is then decided again. It writes without waiting for ovs-vswitchd to apply it
 * (ovs-vsctl --no-wait), since the database is what ovn-controller reads.
 */
export class OvsNodeVif implements NodeVifPort {
  constructor(private readonly client: OvsdbClient) {}

  static async connect(options: { endpoint: string; tls?: ConnectionOptions; requestTimeoutMs?: number }): Promise<OvsNodeVif> {
    return new OvsNodeVif(await OvsdbClient.connect(options));
  }

  close(): void {
    this.client.close();
  }

  async ensureVif(spec: VifSpec): Promise<VifInfo> {
    checkDeviceName(spec.device);
    const wanted: VifInfo = { portId: spec.portId, device: spec.device, mac: normalizeMac(spec.mac), vmId: spec.vmId, bridge: spec.bridge ?? INTEGRATION_BRIDGE };
    return this.retrying(async () => {
      const snapshot = await this.snapshot();
      const bridge = snapshot.bridges.find((b) => b.name === wanted.bridge);
      if (!bridge) throw new TransientAdapterError('BridgeNotFound', `bridge ${wanted.bridge} not found (ovn-controller creates ${INTEGRATION_BRIDGE} when it starts)`);
      const holder = snapshot.interfaces.find((i) => i.name === wanted.device && i.externalIds[IFACE_ID] !== wanted.portId);
      const portHolder = snapshot.ports.find((p) => p.name === wanted.device);
      if (holder || (portHolder && !snapshot.interfaces.some((i) => portHolder.interfaces.includes(i.uuid) && i.externalIds[IFACE_ID] === wanted.portId))) {
        throw new PermanentAdapterError('InterfaceInUse', `interface ${wanted.device} belongs to ${holder?.externalIds[IFACE_ID] ?? 'another port'}`);
      }
      const existing = locate(snapshot, wanted.portId);
      const ids = mergeIds(existing?.iface.externalIds ?? {}, wanted);
      if (existing && existing.iface.name === wanted.device && existing.bridge?.uuid === bridge.uuid) {
        if (same(existing.iface.externalIds, ids)) return wanted;
        await this.write([
          // Only over the external ids we read, so a key another writer added meanwhile is not lost.
          assertRows('Interface', byUuid(existing.iface.uuid), ['external_ids'], '==', [{ external_ids: ovsdbMap(existing.iface.externalIds) }]),
          { op: 'update', table: 'Interface', where: byUuid(existing.iface.uuid), row: { external_ids: ovsdbMap(ids) } },
        ]);
        return wanted;
      }
      // Absent, or on another device or bridge: remove the old one and add the new in one transaction.
      const operations: Operation[] = existing ? removal(existing) : [];
      operations.push(
        // After the removal above (operations see the earlier ones): no other interface claims the port id.
        assertNoRow('Interface', [['external_ids', 'includes', ovsdbMap({ [IFACE_ID]: wanted.portId })]]),
        { op: 'insert', table: 'Interface', 'uuid-name': 'vp_iface', row: { name: wanted.device, external_ids: ovsdbMap(ids) } },
        { op: 'insert', table: 'Port', 'uuid-name': 'vp_port', row: { name: wanted.device, interfaces: ovsdbSet([namedUuid('vp_iface')]) } },
        { op: 'mutate', table: 'Bridge', where: byUuid(bridge.uuid), mutations: [['ports', 'insert', ovsdbSet([namedUuid('vp_port')])]] },
      );
      await this.write(operations);
      return wanted;
    });
  }

  async getVif(portId: string): Promise<VifInfo | null> {
    const found = locate(await this.snapshot(), portId);
    return found ? vifOf(found) : null;
  }

  deleteVif(portId: string): Promise<void> {
    return this.retrying(async () => {
      const found = locate(await this.snapshot(), portId);
      if (found) await this.write(removal(found));
    });
  }

  async listVifs(): Promise<VifInfo[]> {
    const snapshot = await this.snapshot();
    return snapshot.interfaces
      .filter((i) => i.externalIds[IFACE_ID])
      .map((i) => locate(snapshot, i.externalIds[IFACE_ID]!))
      .filter((l): l is Located => l !== undefined)
      .map(vifOf);
  }

  private async snapshot(): Promise<Snapshot> {
    const [bridges, ports, interfaces] = await this.client.transact(DB, [
      { op: 'select', table: 'Bridge', where: [], columns: ['_uuid', 'name', 'ports'] },
      { op: 'select', table: 'Port', where: [], columns: ['_uuid', 'name', 'interfaces'] },
      { op: 'select', table: 'Interface', where: [], columns: ['_uuid', 'name', 'external_ids'] },
    ]);
    const rows = (r: { rows?: OvsdbRow[] } | undefined) => r?.rows ?? [];
    return {
      bridges: rows(bridges).map((r) => ({ uuid: decodeUuid(r._uuid), name: String(r.name), ports: decodeUuidSet(r.ports) })),
      ports: rows(ports).map((r) => ({ uuid: decodeUuid(r._uuid), name: String(r.name), interfaces: decodeUuidSet(r.interfaces) })),
      interfaces: rows(interfaces).map((r) => ({ uuid: decodeUuid(r._uuid), name: String(r.name), externalIds: decodeStringMap(r.external_ids) })),
    };
  }

  private write(operations: Operation[]): Promise<unknown> {
    return this.client.transact(DB, [...operations, { op: 'comment', comment: 'virtplane' }]);
  }

  private async retrying<T>(attempt: () => Promise<T>): Promise<T> {
    for (let n = 0; ; n++) {
      try {
        return await attempt();
      } catch (error) {
        const conflict = error instanceof OvsdbOperationError && (error.code === 'Conflict' || (error.error === 'constraint violation' && /identical values/.test(error.details ?? '')));
        if (!conflict) throw error;
        if (n >= 5) throw new TransientAdapterError('Conflict', `gave up after ${n + 1} attempts: ${error.message}`, { cause: error });
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 2 ** n));
      }
    }
  }
}

function locate(snapshot: Snapshot, portId: string): Located | undefined {
  const iface = snapshot.interfaces.find((i) => i.externalIds[IFACE_ID] === portId);
  if (!iface) return undefined;
  const port = snapshot.ports.find((p) => p.interfaces.includes(iface.uuid));
  const bridge = port ? snapshot.bridges.find((b) => b.ports.includes(port.uuid)) : undefined;
  return { iface, port, bridge };
}

/** Detaches the Port from its bridge and deletes the Port and its Interface (each must exist). */
function removal(found: Located): Operation[] {
  const operations: Operation[] = [];
  if (found.bridge && found.port) {
    operations.push({ op: 'mutate', table: 'Bridge', where: byUuid(found.bridge.uuid), mutations: [['ports', 'delete', ovsdbSet([uuid(found.port.uuid)])]] });
  }
  if (found.port) operations.push({ op: 'delete', table: 'Port', where: byUuid(found.port.uuid) });
  operations.push({ op: 'delete', table: 'Interface', where: byUuid(found.iface.uuid) });
  return operations;
}

function vifOf(found: Located): VifInfo {
  const ids = found.iface.externalIds;
  return { portId: ids[IFACE_ID]!, device: found.iface.name, mac: ids[ATTACHED_MAC] ?? '', vmId: ids[VM_UUID] ?? '', bridge: found.bridge?.name ?? '' };
}

function mergeIds(existing: Record<string, string>, vif: VifInfo): Record<string, string> {
  const merged: Record<string, string> = {};
  for (const [k, v] of Object.entries(existing)) if (!OWNED.includes(k)) merged[k] = v;
  return { ...merged, [IFACE_ID]: vif.portId, [ATTACHED_MAC]: vif.mac, [VM_UUID]: vif.vmId, [IFACE_STATUS]: 'active' };
}

const byUuid = (id: string): Condition[] => [['_uuid', '==', uuid(id)]];
const same = (a: Record<string, string>, b: Record<string, string>): boolean =>
  JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());
