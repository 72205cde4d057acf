import { mkdirSync, writeFileSync } from 'node:fs';
import { apiProcessesRows, apiRows, benchApi, benchApiProcesses } from './api.bench.js';
import { appendRows, benchAppends } from './event-store.bench.js';
import { benchCommands, commandRows } from './commands.bench.js';
import { benchLibvirt, libvirtRows } from './libvirt.bench.js';
import { benchOvsdb, ovsdbRows } from './ovsdb.bench.js';
import { benchReplay, replayRows } from './replay.bench.js';
import { benchIpam, ipamRows } from './ipam.bench.js';
import { benchSagas, sagaRows } from './sagas.bench.js';
import { benchRealGuest, realGuestRows } from './real-guest.bench.js';
import { benchLiveChanges, liveChangeRows } from './live-changes.bench.js';
import { describeMachine } from './support/machine.js';
import type { StoreKind } from './support/stores.js';

/**
 * `npm run bench [-- --stores sqlite,postgres] [--only appends,commands,replay,ipam,sagas,live,api,libvirt,ovsdb] [--replay-events N] [--scale X] [--saga-workers N] [--api-processes 1,2,1+bg]`
 * `--api-processes 1,2` adds to `api` POST /servers against the service run as a child process with
 * API_PROCESSES=1, then 2 (bench/api.bench.ts benchApiProcesses; `1+bg` adds BACKGROUND_PROCESS=true);
 * `--only api-processes` runs just those.
 * `--only realguest` (never by default: it needs root and QEMU) times hot-add on a real guest against
 * live migration on the simulator (bench/real-guest.bench.ts).
 * Prints a markdown table and writes it to bench/.out/latest.md; copy the figures into bench/RESULTS.md
 * with what limits them.
 */
function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

async function main(): Promise<void> {
  const stores = arg('stores', 'sqlite,postgres').split(',') as StoreKind[];
  const only = new Set(arg('only', 'appends,commands,replay,ipam,sagas,live,api,libvirt,ovsdb').split(','));
  const replayEvents = Number(arg('replay-events', '1000000'));
  const scale = Number(arg('scale', '1'));
  const sagaWorkers = arg('saga-workers', '');
  // N, or N+bg for N API processes beside a background process (BACKGROUND_PROCESS=true).
  const apiProcesses = arg('api-processes', '').split(',').filter(Boolean).map((v) => ({ processes: Number(v.replace(/\+bg$/, '')), background: v.endsWith('+bg') }));
  const rows: string[] = [];
  const say = (row: string) => {
    rows.push(row);
    process.stdout.write(`${row}\n`);
  };
  process.stdout.write(`| store | benchmark | result | size |\n|---|---|---|---|\n`);
  // Not per store: the hypervisor adapter against a private libvirtd (scripts/libvirt-test-daemon.sh).
  if (only.has('libvirt')) libvirtRows(await benchLibvirt(Math.round(200 * scale))).forEach(say);
  // Not per store: the OVN fabric adapter against private ovsdb-servers (scripts/ovsdb-servers.sh).
  if (only.has('ovsdb')) ovsdbRows(await benchOvsdb(Math.round(5_000 * scale))).forEach(say);
  // Not per store: a QEMU guest under a private libvirtd behind the embedded simulator (scripts/real-guest).
  if (only.has('realguest')) realGuestRows(await benchRealGuest(Math.max(3, Math.round(5 * scale)))).forEach(say);
  for (const kind of stores) {
    if (only.has('appends')) appendRows(kind, await benchAppends(kind, scale)).forEach(say);
    if (only.has('commands')) say(commandRows(kind, await benchCommands(kind, Math.round(1_000 * scale))));
    if (only.has('replay')) replayRows(kind, await benchReplay(kind, replayEvents)).forEach(say);
    if (only.has('ipam')) ipamRows(kind, await benchIpam(kind, Math.round(50_000 * scale))).forEach(say);
    if (only.has('sagas')) {
      const sagas = await benchSagas(kind, Math.round(1_000 * scale), {
        unloaded: Math.max(1, Math.round(100 * scale)),
        config: sagaWorkers ? { WORKER_CONCURRENCY_CLUSTER: Number(sagaWorkers) } : {},
      });
      sagaRows(kind, sagas).forEach(say);
    }
    if (only.has('live')) liveChangeRows(kind, await benchLiveChanges(kind, Math.max(10, Math.round(100 * scale)))).forEach(say);
    if (only.has('api')) {
      // An API-only process: the saga workers' throughput is the sagas benchmark's subject.
      const api = await benchApi(kind, { creates: Math.round(2_000 * scale), concurrency: 50, servers: Math.round(10_000 * scale), detailReads: Math.max(20, Math.round(200 * scale)), workers: false });
      apiRows(kind, api).forEach(say);
    }
    if (only.has('api') || only.has('api-processes')) {
      for (const { processes, background } of apiProcesses) {
        apiProcessesRows(kind, await benchApiProcesses(kind, { creates: Math.round(2_000 * scale), concurrency: 50, processes, background })).forEach(say);
      }
    }
  }
  const report = [
    `Measured ${new Date().toISOString().slice(0, 10)} on ${describeMachine()}.`,
    '',
    '| store | benchmark | result | size |',
    '|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
  mkdirSync('bench/.out', { recursive: true });
  writeFileSync('bench/.out/latest.md', report);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
