import type { ConnectionOptions } from 'node:tls';
import { PermanentAdapterError, TransientAdapterError } from '../../adapter-errors.js';
import { AsyncMutex } from '../../sql/async-mutex.js';
import { checkExcludeIps, inSubnets, normalizeIp, normalizeMac, subnetsOf } from '../address-checks.js';
import type { FabricPort, LogicalSwitch, LogicalSwitchSpec, PortInfo, PortSpec } from '../fabric.port.js';
import { OvsdbClient } from '../ovsdb/ovsdb-client.js';
import { decodeStringSet, namedUuid, ovsdbMap, ovsdbSet, uuid, type OvsdbRow } from '../ovsdb/ovsdb-encoding.js';
import { OvsdbOperationError } from '../ovsdb/ovsdb-errors.js';
import { assertNoRow, assertRows, type Condition, type Mutation, type Operation, type OperationResult } from '../ovsdb/ovsdb-operations.js';
import {
  decodePortRow,
  decodeSwitchRow,
  EXT_NETWORK_ID,
  EXT_PORT_ID,
  mergeOwned,
  NB,
  OWNED_SWITCH_CONFIG,
  OWNED_SWITCH_IDS,
  PORT_COLUMNS,
  BINDING_OPTIONS,
  bindingOptions,
  portRow,
  SWITCH_COLUMNS,
  switchConfig,
  switchName,
  type PortRow,
  type SwitchRow,
} from './ovn-rows.js';

export interface OvnFabricOptions {
  /** OVN northbound database: unix:PATH, tcp:HOST:PORT or ssl:HOST:PORT. */
  endpoint: string;
  tls?: ConnectionOptions;
  requestTimeoutMs?: number;
  /** How often a change whose rows moved under it is re-read and re-decided before giving up; default 5. */
  conflictRetries?: number;
}

const LS = 'Logical_Switch';
const LSP = 'Logical_Switch_Port';
const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * The fabric port on a real OVN northbound database (see fabric.port.ts for the contract).
 *
 * Every change is read, decided, then written in one transaction that first asserts (OVSDB `wait`
 * with timeout 0) that the rows it decided on are unchanged, the way ovn-nbctl verifies columns: a
 * concurrent writer aborts it whole and it is decided again from a fresh read. Updates and deletes
 * must match their row or the transaction aborts (the client's guard), and the written row is read
 * back inside the same transaction. A lost reply therefore leaves either nothing or the whole change,
 * and the retry (every operation is idempotent) finds it done.
 */
export class OvnFabric implements FabricPort {
  private readonly conflictRetries: number;
  /** Port writes on one switch from this process go one at a time (they would only abort each other). */
  private readonly switchLocks = new Map<string, AsyncMutex>();

  constructor(
    private readonly client: OvsdbClient,
    options: Pick<OvnFabricOptions, 'conflictRetries'> = {},
  ) {
    this.conflictRetries = options.conflictRetries ?? 5;
  }

  static async connect(options: OvnFabricOptions): Promise<OvnFabric> {
    const client = await OvsdbClient.connect({ endpoint: options.endpoint, tls: options.tls, requestTimeoutMs: options.requestTimeoutMs });
    return new OvnFabric(client, options);
  }

  close(): void {
    this.client.close();
  }

  async ensureLogicalSwitch(spec: LogicalSwitchSpec): Promise<LogicalSwitch> {
    subnetsOf(spec.cidrs);
    checkExcludeIps(spec.excludeIps);
    const wanted: LogicalSwitch = { id: spec.id, name: spec.name, cidrs: [...spec.cidrs], excludeIps: [...spec.excludeIps] };
    const ours = switchConfig(wanted);
    return this.retrying(async () => {
      const [rows] = await this.read([selectSwitch(spec.id)]);
      const existing = this.oneSwitch(rows!, spec.id);
      if (!existing) {
        const results = await this.write([
          assertNoRow(LS, byName(switchName(spec.id))),
          { op: 'insert', table: LS, row: { name: switchName(spec.id), other_config: ovsdbMap(ours.otherConfig), external_ids: ovsdbMap(ours.externalIds) } },
          selectSwitch(spec.id),
        ]);
        return this.switchFrom(results[2]!, spec.id);
      }
      // The owned other_config keys too: an operator's ovn-nbctl may have changed subnet and nothing else.
      const configDrift = OWNED_SWITCH_CONFIG.some((key) => existing.otherConfig[key] !== ours.otherConfig[key]);
      if (same(existing.value, wanted) && !configDrift) return existing.value;
      const results = await this.write([
        assertRows(LS, byUuid(existing.uuid), ['other_config', 'external_ids'], '==', [
          { other_config: ovsdbMap(existing.otherConfig), external_ids: ovsdbMap(existing.externalIds) },
        ]),
        {
          op: 'update',
          table: LS,
          where: byUuid(existing.uuid),
          row: {
            other_config: ovsdbMap(mergeOwned(existing.otherConfig, OWNED_SWITCH_CONFIG, ours.otherConfig)),
            external_ids: ovsdbMap(mergeOwned(existing.externalIds, OWNED_SWITCH_IDS, ours.externalIds)),
          },
        },
        selectSwitch(spec.id),
      ]);
      return this.switchFrom(results[2]!, spec.id);
    });
  }

  async getLogicalSwitch(id: string): Promise<LogicalSwitch | null> {
    const [rows] = await this.read([selectSwitch(id)]);
    return this.oneSwitch(rows!, id)?.value ?? null;
  }

  deleteLogicalSwitch(id: string): Promise<void> {
    return this.retrying(async () => {
      const [rows] = await this.read([selectSwitch(id)]);
      const existing = this.oneSwitch(rows!, id);
      if (!existing) return;
      if (existing.ports.length > 0) throw new PermanentAdapterError('SwitchInUse', `logical switch ${id} still has ${existing.ports.length} port(s)`);
      // Only while it is still empty: a port added meanwhile aborts the delete (and the retry refuses).
      await this.write([{ op: 'delete', table: LS, where: [...byUuid(existing.uuid), ['ports', '==', ovsdbSet([])]] }]);
    });
  }

  async ensurePort(spec: PortSpec): Promise<PortInfo> {
    const wanted: PortInfo = {
      portId: spec.portId,
      switchId: spec.switchId,
      mac: normalizeMac(spec.mac),
      ips: spec.ips.map(normalizeIp),
      vmId: spec.vmId,
      chassis: spec.chassis,
    };
    return this.onSwitch(spec.switchId, () =>
      this.retrying(async () => {
        const [switches, ports, neighbours] = await this.read([selectSwitch(spec.switchId), selectPort(spec.portId), selectPortsOf(spec.switchId)]);
        const logicalSwitch = this.oneSwitch(switches!, spec.switchId);
        if (!logicalSwitch) throw new PermanentAdapterError('SwitchNotFound', `logical switch ${spec.switchId} not found`);
        const existing = ports![0] ? decodePortRow(ports![0]) : undefined;
        if (existing && (existing.value.switchId !== spec.switchId || !logicalSwitch.ports.includes(existing.uuid))) {
          throw new PermanentAdapterError('PortOnOtherSwitch', `port ${spec.portId} is on switch ${existing.value.switchId || '(not ours)'}, not ${spec.switchId}`);
        }
        checkAddresses(wanted, logicalSwitch, neighbours!.map(decodePortRow));
        if (existing && same(existing.value, wanted) && portSecurityOf(ports![0]!) === [wanted.mac, ...wanted.ips].join(' ')) return existing.value;
        // Asserting the switch's port list unchanged also guards the address uniqueness checked above.
        const switchUnchanged = assertRows(LS, byUuid(logicalSwitch.uuid), ['ports'], '==', [{ ports: ovsdbSet(logicalSwitch.ports.map(uuid)) }]);
        const operations: Operation[] = existing
          ? [
              switchUnchanged,
              assertRows(LSP, byUuid(existing.uuid), ['addresses', 'port_security', 'options', 'external_ids'], '==', [pick(ports![0]!, ['addresses', 'port_security', 'options', 'external_ids'])]),
              { op: 'update', table: LSP, where: byUuid(existing.uuid), row: withoutName(portRow(wanted, existing)) },
              selectPort(spec.portId),
            ]
          : [
              switchUnchanged,
              { op: 'insert', table: LSP, row: portRow(wanted), 'uuid-name': 'vp_port' },
              { op: 'mutate', table: LS, where: byUuid(logicalSwitch.uuid), mutations: [['ports', 'insert', ovsdbSet([namedUuid('vp_port')])]] },
              selectPort(spec.portId),
            ];
        const results = await this.write(operations);
        const written = results[3]?.rows?.[0];
        if (!written) throw new TransientAdapterError('Conflict', `port ${spec.portId} was not found after writing it`);
        return decodePortRow(written).value;
      }),
    );
  }

  async getPort(portId: string): Promise<PortInfo | null> {
    const [rows] = await this.read([selectPort(portId)]);
    const port = rows![0] ? decodePortRow(rows![0]) : undefined;
    return port && port.externalIds[EXT_PORT_ID] ? port.value : null;
  }

  deletePort(portId: string): Promise<void> {
    return this.retrying(async () => {
      const [rows] = await this.read([selectPort(portId)]);
      if (!rows![0]) return;
      const port = decodePortRow(rows![0]);
      await this.write([
        { op: 'mutate', table: LS, where: [['ports', 'includes', uuid(port.uuid)]], mutations: [['ports', 'delete', ovsdbSet([uuid(port.uuid)])]] },
        { op: 'delete', table: LSP, where: byUuid(port.uuid) },
      ]);
    });
  }

  setPortChassis(portId: string, chassis: string | null): Promise<void> {
    return this.retrying(async () => {
      const [rows] = await this.read([selectPort(portId)]);
      if (!rows![0]) throw new PermanentAdapterError('PortNotFound', `logical switch port ${portId} not found`);
      const port = decodePortRow(rows![0]);
      if (port.value.chassis === chassis && port.value.migratingTo === undefined) return;
      await this.write([rebind(port, bindingOptions(chassis))]);
    });
  }

  beginPortMigration(portId: string, target: string): Promise<void> {
    return this.retrying(async () => {
      const [rows] = await this.read([selectPort(portId)]);
      if (!rows![0]) throw new PermanentAdapterError('PortNotFound', `logical switch port ${portId} not found`);
      const port = decodePortRow(rows![0]);
      if (!port.value.chassis) throw new PermanentAdapterError('Invalid', `port ${portId} is not bound to a node, so it cannot migrate`);
      if (port.value.chassis === target) throw new PermanentAdapterError('Invalid', `port ${portId} is already on ${target}`);
      if (port.value.migratingTo === target) return;
      // Only from the binding we read: a concurrent move aborts this and the retry decides again.
      await this.write([
        assertRows(LSP, byUuid(port.uuid), ['options'], '==', [{ options: ovsdbMap(port.options) }]),
        rebind(port, bindingOptions(port.value.chassis, target)),
      ]);
    });
  }

  async listPorts(switchId?: string): Promise<PortInfo[]> {
    const [rows] = await this.read([switchId === undefined ? { op: 'select', table: LSP, where: [], columns: PORT_COLUMNS } : selectPortsOf(switchId)]);
    return rows!
      .map(decodePortRow)
      .filter((p) => p.externalIds[EXT_PORT_ID])
      .map((p) => p.value);
  }

  private async read(operations: Operation[]): Promise<OvsdbRow[][]> {
    const results = await this.client.transact(NB, operations);
    return results.map((r) => r.rows ?? []);
  }

  private write(operations: Operation[]): Promise<OperationResult[]> {
    return this.client.transact(NB, [...operations, { op: 'comment', comment: 'virtplane' }]);
  }

  private oneSwitch(rows: OvsdbRow[], id: string): SwitchRow | undefined {
    if (rows.length > 1) throw new PermanentAdapterError('Invalid', `${rows.length} logical switches are named ${switchName(id)}`);
    return rows[0] ? decodeSwitchRow(rows[0]) : undefined;
  }

  private switchFrom(result: OperationResult, id: string): LogicalSwitch {
    const found = this.oneSwitch(result.rows ?? [], id);
    if (!found) throw new TransientAdapterError('Conflict', `logical switch ${id} was not found after writing it`);
    return found.value;
  }

  private async onSwitch<T>(switchId: string, run: () => Promise<T>): Promise<T> {
    let lock = this.switchLocks.get(switchId);
    if (!lock) this.switchLocks.set(switchId, (lock = new AsyncMutex()));
    try {
      return await lock.run(run);
    } finally {
      if (!lock.isLocked) this.switchLocks.delete(switchId);
    }
  }

  /** Re-reads and decides again when the rows moved between the read and the write. */
  private async retrying<T>(attempt: () => Promise<T>): Promise<T> {
    for (let n = 0; ; n++) {
      try {
        return await attempt();
      } catch (error) {
        const conflict = error instanceof OvsdbOperationError && (error.code === 'Conflict' || isIndexCollision(error));
        if (!conflict) throw error;
        if (n >= this.conflictRetries) throw new TransientAdapterError('Conflict', `gave up after ${n + 1} attempts: ${error.message}`, { cause: error });
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 2 ** n));
      }
    }
  }
}

/** Replaces the binding options by mutation, leaving every other option alone. */
function rebind(port: PortRow, binding: Record<string, string>): Operation {
  const mutations: Mutation[] = [['options', 'delete', ovsdbSet(BINDING_OPTIONS)]];
  if (Object.keys(binding).length > 0) mutations.push(['options', 'insert', ovsdbMap(binding)]);
  return { op: 'mutate', table: LSP, where: byUuid(port.uuid), mutations };
}

function checkAddresses(port: PortInfo, logicalSwitch: SwitchRow, neighbours: PortRow[]): void {
  const subnets = subnetsOf(logicalSwitch.value.cidrs);
  for (const ip of port.ips) {
    if (!inSubnets(subnets, ip)) throw new PermanentAdapterError('AddressOutsideSubnet', `${ip} is outside ${logicalSwitch.value.cidrs.join(', ')}`);
  }
  for (const other of neighbours) {
    if (other.value.portId === port.portId) continue;
    if (other.value.mac === port.mac) throw new PermanentAdapterError('MacInUse', `MAC ${port.mac} is used by port ${other.value.portId}`);
    const shared = other.value.ips.find((ip) => port.ips.includes(normalizeIp(ip)));
    if (shared) throw new PermanentAdapterError('IpInUse', `IP ${shared} is used by port ${other.value.portId}`);
  }
}

/** A concurrent insert of the same name (an indexed column) lost the race: decide again. */
const isIndexCollision = (error: OvsdbOperationError): boolean => error.error === 'constraint violation' && /identical values/.test(error.details ?? '');

const byName = (name: string): Condition[] => [['name', '==', name]];
const byUuid = (id: string): Condition[] => [['_uuid', '==', uuid(id)]];
const selectSwitch = (id: string): Operation => ({ op: 'select', table: LS, where: byName(switchName(id)), columns: SWITCH_COLUMNS });
const selectPort = (portId: string): Operation => ({ op: 'select', table: LSP, where: byName(portId), columns: PORT_COLUMNS });
const selectPortsOf = (switchId: string): Operation => ({
  op: 'select',
  table: LSP,
  where: [['external_ids', 'includes', ovsdbMap({ [EXT_NETWORK_ID]: switchId })]],
  columns: PORT_COLUMNS,
});

function pick(row: OvsdbRow, columns: string[]): OvsdbRow {
  return Object.fromEntries(columns.map((c) => [c, row[c]!]));
}

function withoutName(row: OvsdbRow): OvsdbRow {
  const { name: _name, ...rest } = row;
  return rest;
}

const portSecurityOf = (row: OvsdbRow): string => decodeStringSet(row.port_security).join(',');
