import { randomUUID } from 'node:crypto';
import { OvnFabric } from '../src/adapters/ovs/ovn/ovn-fabric.js';
import { OvsdbClient } from '../src/adapters/ovs/ovsdb/ovsdb-client.js';
import { namedUuid, ovsdbMap, ovsdbSet, uuid } from '../src/adapters/ovs/ovsdb/ovsdb-encoding.js';
import { fmt, percentile, pool, timed, type Rate } from './support/measure.js';
import { BenchOvsdbServers } from './support/ovsdb-servers.js';

const NB = 'OVN_Northbound';

export interface OvsdbFigures {
  roundTrip: { p50: number; p99: number; samples: number };
  rawSequential: Rate;
  rawConcurrent: Rate;
  concurrency: number;
  adapterSequential: Rate;
  adapterConcurrent: Rate;
  switches: number;
}

/**
 * Against a private OVN_Northbound ovsdb-server over its unix socket: the latency of one round trip
 * (echo), port create/delete transactions through the client (insert the port and add it to its
 * switch; remove it and delete it: the transactions the adapter writes, without its reads), and
 * ensurePort/deletePort through the OVN fabric adapter (read, decide, guarded write, read back).
 */
export async function benchOvsdb(ports: number): Promise<OvsdbFigures> {
  const servers = BenchOvsdbServers.start();
  const client = await OvsdbClient.connect({ endpoint: servers.nbSocket, probeIntervalMs: 0 });
  const fabric = await OvnFabric.connect({ endpoint: servers.nbSocket });
  try {
    const samples: number[] = [];
    for (let i = 0; i < 2_000; i++) {
      const started = process.hrtime.bigint();
      await client.request('echo', []);
      samples.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    samples.sort((a, b) => a - b);

    const [created] = await client.transact(NB, [{ op: 'insert', table: 'Logical_Switch', row: { name: 'bench' } }]);
    const switchUuid = created!.uuid![1];
    const createDelete = async (i: number) => {
      const name = `bench-${i}-${randomUUID()}`;
      const [, , inserted] = await client.transact(NB, [
        { op: 'mutate', table: 'Logical_Switch', where: [['_uuid', '==', uuid(switchUuid)]], mutations: [['ports', 'insert', ovsdbSet([namedUuid('p')])]] },
        { op: 'comment', comment: 'bench create' },
        { op: 'insert', table: 'Logical_Switch_Port', 'uuid-name': 'p', row: { name, addresses: `02:00:00:00:00:01 10.0.0.${i % 250}`, external_ids: ovsdbMap({ 'virtplane:port-id': name }) } },
      ]);
      const portUuid = inserted!.uuid![1];
      await client.transact(NB, [
        { op: 'mutate', table: 'Logical_Switch', where: [['_uuid', '==', uuid(switchUuid)]], mutations: [['ports', 'delete', ovsdbSet([uuid(portUuid)])]] },
        { op: 'delete', table: 'Logical_Switch_Port', where: [['_uuid', '==', uuid(portUuid)]] },
      ]);
    };
    const concurrency = 32;
    const rawSequential = await timed(ports * 2, () => pool(ports, 1, createDelete));
    const rawConcurrent = await timed(ports * 2, () => pool(ports, concurrency, createDelete));

    // The adapter: one port at a time, then many switches in parallel (writes on one switch queue).
    const switches = 16;
    const networks = Array.from({ length: switches }, () => ({ id: randomUUID(), name: 'bench', cidrs: ['10.40.0.0/16'], excludeIps: [] }));
    for (const network of networks) await fabric.ensureLogicalSwitch(network);
    const viaAdapter = async (i: number) => {
      const portId = randomUUID();
      const network = networks[i % switches]!;
      await fabric.ensurePort({ portId, switchId: network.id, mac: `02:00:00:00:${((i >> 8) & 255).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}`, ips: [`10.40.${(i >> 8) & 255}.${i & 255}`], vmId: null, chassis: 'node-1' });
      await fabric.deletePort(portId);
    };
    const adapterPorts = Math.max(1, Math.round(ports / 2));
    const adapterSequential = await timed(adapterPorts * 2, () => pool(adapterPorts, 1, viaAdapter));
    const adapterConcurrent = await timed(adapterPorts * 2, () => pool(adapterPorts, switches, viaAdapter));

    return {
      roundTrip: { p50: percentile(samples, 50), p99: percentile(samples, 99), samples: samples.length },
      rawSequential,
      rawConcurrent,
      concurrency,
      adapterSequential,
      adapterConcurrent,
      switches,
    };
  } finally {
    fabric.close();
    client.close();
    servers.stop();
  }
}

export function ovsdbRows(f: OvsdbFigures): string[] {
  const ms = (n: number) => `${n.toFixed(3)} ms`;
  return [
    `| ovsdb | one round trip (echo) over the unix socket | p50 ${ms(f.roundTrip.p50)}, p99 ${ms(f.roundTrip.p99)} | ${fmt(f.roundTrip.samples)} sequential |`,
    `| ovsdb | port create/delete transactions, client, one at a time | ${fmt(f.rawSequential.perSecond)} transactions/s | ${fmt(f.rawSequential.operations)} transactions |`,
    `| ovsdb | port create/delete transactions, client, ${f.concurrency} in flight | ${fmt(f.rawConcurrent.perSecond)} transactions/s | ${fmt(f.rawConcurrent.operations)} transactions |`,
    `| ovsdb | OVN adapter ensurePort + deletePort, one at a time | ${fmt(f.adapterSequential.perSecond)} operations/s | ${fmt(f.adapterSequential.operations)} operations |`,
    `| ovsdb | OVN adapter ensurePort + deletePort, ${f.switches} switches in parallel | ${fmt(f.adapterConcurrent.perSecond)} operations/s | ${fmt(f.adapterConcurrent.operations)} operations |`,
  ];
}
