import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { endWithParent, freeLoopbackPort } from '../../src/adapters/process/child-processes.js';

const run = promisify(execFile);

const SCHEMAS = { ovs: '/usr/share/openvswitch/vswitch.ovsschema', nb: '/usr/share/ovn/ovn-nb.ovsschema' } as const;
const TOOLS = ['ovsdb-server', 'ovsdb-tool', 'ovs-vsctl', 'ovn-nbctl'];

export type OvsdbName = keyof typeof SCHEMAS;

/**
 * Private ovsdb-servers for one test file: an Open_vSwitch DB and an OVN_Northbound DB under a
 * directory of their own in /tmp (short, so the unix socket paths fit), on unix sockets and loopback
 * TCP ports chosen per run. The servers are children of the test process (not --detach), tied to it
 * with endWithParent, so a killed jest leaves none behind. scripts/ovsdb-servers.sh starts the same
 * servers by hand.
 */
export class OvsdbServers {
  private readonly children = new Map<OvsdbName, ChildProcess>();

  private constructor(
    readonly dir: string,
    private readonly tcpPorts: Record<OvsdbName, number>,
    /** With `ssl`: a loopback port per server for its pssl: remote. */
    private readonly sslPorts: Record<OvsdbName, number> | undefined,
  ) {}

  /** With `ssl`, each server also listens for TLS (mutual, from a test CA made with openssl). */
  static async start(options: { ssl?: boolean } = {}): Promise<OvsdbServers> {
    const missing = ovsdbMissing(options);
    if (missing) throw new Error(`cannot start private ovsdb-servers: ${missing}`);
    const dir = mkdtempSync(join(tmpdir(), 'vpo-'));
    const sslPorts = options.ssl ? { ovs: await freeLoopbackPort(), nb: await freeLoopbackPort() } : undefined;
    const servers = new OvsdbServers(dir, { ovs: await freeLoopbackPort(), nb: await freeLoopbackPort() }, sslPorts);
    try {
      if (sslPorts) await makeTestPki(dir);
      for (const name of ['ovs', 'nb'] as const) {
        await run('ovsdb-tool', ['create', join(dir, `${name}.db`), SCHEMAS[name]]);
        await servers.startServer(name);
      }
      await servers.vsctl('init');
      await servers.nbctl('init');
    } catch (error) {
      await servers.dispose();
      throw error;
    }
    return servers;
  }

  /** OVS endpoint notation: unix:DIR/NAME.sock. */
  socket(name: OvsdbName): string {
    return `unix:${join(this.dir, `${name}.sock`)}`;
  }

  tcp(name: OvsdbName): string {
    return `tcp:127.0.0.1:${this.tcpPorts[name]}`;
  }

  ssl(name: OvsdbName): string {
    if (!this.sslPorts) throw new Error('these servers were started without ssl');
    return `ssl:127.0.0.1:${this.sslPorts[name]}`;
  }

  /** The client side of the test PKI: our CA, and a certificate the servers accept. */
  clientTls(): { ca: string; cert: string; key: string } {
    const read = (file: string) => readFileSync(join(this.dir, 'pki', file), 'utf8');
    return { ca: read('ca.crt'), cert: read('client.crt'), key: read('client.key') };
  }

  /** Stops one server (SIGTERM, then waits for it to exit); its database file stays. */
  async stopServer(name: OvsdbName): Promise<void> {
    const child = this.children.get(name);
    this.children.delete(name);
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }

  /** Serves the same database file again on the same socket and TCP port. */
  async startServer(name: OvsdbName): Promise<void> {
    const sock = join(this.dir, `${name}.sock`);
    rmSync(sock, { force: true });
    const pki = join(this.dir, 'pki');
    const ssl = this.sslPorts
      ? [`--remote=pssl:${this.sslPorts[name]}:127.0.0.1`, `--private-key=${pki}/server.key`, `--certificate=${pki}/server.crt`, `--ca-cert=${pki}/ca.crt`]
      : [];
    const child = spawn(
      'ovsdb-server',
      [join(this.dir, `${name}.db`), `--remote=punix:${sock}`, `--remote=ptcp:${this.tcpPorts[name]}:127.0.0.1`, ...ssl,
        `--unixctl=${join(this.dir, `${name}.ctl`)}`, `--log-file=${join(this.dir, `${name}.log`)}`, '--no-chdir'],
      { stdio: ['ignore', 'ignore', 'pipe'], env: this.env() },
    );
    endWithParent(child, 'KILL');
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    this.children.set(name, child);
    const deadline = Date.now() + 10_000;
    while (!(await accepts(sock))) {
      if (child.exitCode !== null) throw new Error(`ovsdb-server (${name}) exited with ${child.exitCode}: ${stderr.trim()}`);
      if (Date.now() > deadline) throw new Error(`ovsdb-server (${name}) did not listen on ${sock} within 10 s: ${stderr.trim()}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async restartServer(name: OvsdbName): Promise<void> {
    await this.stopServer(name);
    await this.startServer(name);
  }

  /** ovn-nbctl against the private NB database; resolves to its stdout. */
  async nbctl(...args: string[]): Promise<string> {
    return (await run('ovn-nbctl', [`--db=${this.socket('nb')}`, '--timeout=10', ...args], { env: this.env() })).stdout;
  }

  /** ovs-vsctl against the private Open_vSwitch database (--no-wait: no ovs-vswitchd runs here). */
  async vsctl(...args: string[]): Promise<string> {
    return (await run('ovs-vsctl', [`--db=${this.socket('ovs')}`, '--no-wait', '--timeout=10', ...args], { env: this.env() })).stdout;
  }

  async dispose(): Promise<void> {
    await Promise.all([...this.children.keys()].map((name) => this.stopServer(name)));
    rmSync(this.dir, { recursive: true, force: true });
  }

  private env(): NodeJS.ProcessEnv {
    // Keeps every tool's run files out of /var/run/openvswitch.
    const d = this.dir;
    return { ...process.env, OVS_RUNDIR: d, OVS_LOGDIR: d, OVS_DBDIR: d, OVN_RUNDIR: d, OVN_LOGDIR: d, OVN_DBDIR: d };
  }
}

/** Why private servers cannot start here, or undefined when the tools and schemas are installed. */
export function ovsdbMissing(options: { ssl?: boolean } = {}): string | undefined {
  const path = (process.env.PATH ?? '').split(':').concat(['/usr/sbin', '/usr/bin']);
  const tools = [...TOOLS, ...(options.ssl ? ['openssl'] : [])].filter((tool) => !path.some((dir) => existsSync(join(dir, tool))));
  const schemas = Object.values(SCHEMAS).filter((file) => !existsSync(file));
  if (tools.length === 0 && schemas.length === 0) return undefined;
  return `missing ${[...tools, ...schemas].join(', ')} (Debian: apt-get install openvswitch-switch ovn-central openssl)`;
}

/**
 * Whether to register tests that need private ovsdb-servers. Outside CI missing tools skip them with
 * the reason printed; under CI=true they always run, so a server that cannot start fails them.
 */
export function shouldRunOvsdbTests(options: { ssl?: boolean } = {}): boolean {
  const missing = ovsdbMissing(options);
  if (!missing || process.env.CI === 'true') return true;
  console.warn(`Skipping OVSDB tests: ${missing}. Under CI=true this fails.`);
  return false;
}

/** A CA, a server certificate for 127.0.0.1 and a client certificate, all signed by the CA (EC keys: fast to make). */
async function makeTestPki(dir: string): Promise<void> {
  const pki = join(dir, 'pki');
  await run('mkdir', ['-p', pki]);
  const key = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  await run('openssl', ['req', '-x509', ...key, '-keyout', `${pki}/ca.key`, '-out', `${pki}/ca.crt`, '-days', '2', '-subj', '/CN=virtplane-test-ca']);
  writeFileSync(`${pki}/server.ext`, 'subjectAltName=IP:127.0.0.1\n');
  for (const who of ['server', 'client']) {
    await run('openssl', ['req', ...key, '-keyout', `${pki}/${who}.key`, '-out', `${pki}/${who}.csr`, '-subj', `/CN=virtplane-test-${who}`]);
    await run('openssl', ['x509', '-req', '-in', `${pki}/${who}.csr`, '-CA', `${pki}/ca.crt`, '-CAkey', `${pki}/ca.key`, '-CAcreateserial',
      '-out', `${pki}/${who}.crt`, '-days', '2', ...(who === 'server' ? ['-extfile', `${pki}/server.ext`] : [])]);
  }
}

function accepts(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    if (!existsSync(path)) return resolve(false);
    const socket = connect(path);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
