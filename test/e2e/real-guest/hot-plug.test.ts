import { join } from 'node:path';
import { ServiceClient, streamSummary } from '../../integration/recovery/recovery-kit.js';
import { RealGuestHost, realGuestMissing, type GuestStat } from '../../support/real-guest.js';
import { TEST_REDIS_URL } from '../../support/redis.js';
import { ServiceHarness, buildService, type ServiceBuild } from '../../support/service-process.js';
import { SimulatorApi } from './simulator-api.js';
import { VirtplaneRest } from './virtplane-rest.js';

const missing = realGuestMissing();
if (missing && process.env.CI === 'true') throw new Error(`The real-guest end-to-end test cannot run: ${missing}`);
if (missing) console.warn(`Skipping the real-guest end-to-end test (it runs when CI=true): ${missing}`);

const NODE = 'node-1';
const SERVERS = '/compute/v2.1/servers';
/** 1 of 4 vCPUs and 256 of 640 MiB: the guest boots small with room to grow (a TCG guest on 2 cores). */
const FLAVOR = { name: 'rg.tiny', vcpus: 1, ram: 256, disk: 1, 'hw:max_vcpus': 4, 'hw:max_ram_mb': 640 };
const MiB_IN_KIB = 1024;

/**
 * Hot resize and NIC hotplug proven on a real guest: virtplane on its embedded default (the KubeVirt
 * and libvirt adapters against the in-process cluster simulator) with one node whose VM is a QEMU
 * guest (TCG) under a private libvirtd. A request goes API → saga → pod resize on the simulator →
 * virsh through the launcher pod's exec → libvirtd → QEMU → the guest kernel, and every assertion
 * about the guest is what the guest itself prints on its serial console (GUEST-STAT lines).
 * The steps build on each other (one guest, as slow as it is): run the file as a whole.
 */
(missing ? describe.skip : describe)('hot resize and NIC hotplug in a real QEMU guest through libvirt', () => { // skipped only outside CI (QEMU, libvirt or root missing (the reason is printed)); under CI=true it runs and fails
  let host: RealGuestHost;
  let build: ServiceBuild;
  let harness: ServiceHarness;
  let rest: VirtplaneRest;
  let simulator: SimulatorApi;
  let extra: Record<string, string>;
  let serverId: string;
  let domain: string;
  let vm: { namespace: string; name: string };
  /** The guest's MemTotal with its boot memory (256 MiB), once the balloon settled. */
  let bootMemKiB: number;

  const server = async () => (await rest.call('GET', `${SERVERS}/${serverId}`)).body.server;
  const guest = () => host.latest(domain)!;
  const diagnostics = () => `${harness?.diagnostics()}\n--- guest ---\n${host?.serialLog(domain ?? '').split('\n').slice(-10).join('\n')}`;

  /** Polls (bounded) until the check returns something; on timeout, the service's and the guest's output. */
  async function until<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 90_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    let last: unknown;
    for (;;) {
      try {
        const value = await check();
        if (value !== undefined) return value;
      } catch (error) {
        last = error;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? ` (${String(last)})` : ''}\n${diagnostics()}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  /** The instance action of a request once every event finished and the server has no task. */
  async function settledAction(requestId: string) {
    return until(`action ${requestId} to finish`, async () => {
      const reply = await rest.call('GET', `${SERVERS}/${serverId}/os-instance-actions/${requestId}`, undefined, '2.84');
      const action = reply.body?.instanceAction;
      const s = await server();
      if (!action || s['OS-EXT-STS:task_state'] !== null || action.events.length === 0) return undefined;
      return action.events.every((e: { finish_time: string | null }) => e.finish_time) ? action : undefined;
    }, 150_000);
  }

  async function hotResize(body: { vcpus?: number; ram?: number }) {
    const reply = await rest.call('POST', `${SERVERS}/${serverId}/action`, { 'os-hotResize': body });
    expect({ status: reply.status, body: reply.body }).toEqual({ status: 202, body: null });
    return settledAction(reply.requestId!);
  }

  const succeeded = (action: { message: string | null; events: Array<{ event: string; result: string }> }) => {
    expect(action.message).toBeNull();
    expect(action.events.filter((e) => e.result !== 'Success')).toEqual([]);
  };

  beforeAll(async () => {
    host = await RealGuestHost.start();
    build = await buildService();
    harness = new ServiceHarness({ build, redisUrl: TEST_REDIS_URL });
    extra = {
      CLUSTER_BACKEND: 'simulator',
      SIM_NODES: `${NODE}:8:16384`,
      SIM_STEP_MS: '20',
      SIM_KUBECONFIG: join(harness.dataDir, 'simulator.kubeconfig'),
      ...host.env(NODE),
    };
    const service = await harness.start(extra, 'real guest: first run');
    rest = await VirtplaneRest.login(service.baseUrl, 'admin', 'admin-secret', 'admin');
    simulator = SimulatorApi.fromKubeconfig(extra.SIM_KUBECONFIG!);

    const flavor = await rest.call('POST', '/compute/v2.1/flavors', { flavor: FLAVOR });
    expect(flavor.status).toBe(200);
    const created = await rest.call('POST', SERVERS, {
      server: { name: 'real-guest', flavorRef: flavor.body.flavor.id, imageRef: 'docker://quay.io/containerdisks/fedora:41', networks: 'none' },
    });
    expect(created.status).toBe(202);
    serverId = created.body.server.id;
    await until('the server to be ACTIVE', async () => ((await server()).status === 'ACTIVE' ? true : undefined));
    domain = await until('its libvirt domain', async () => (await host.virsh('list', '--name')).split('\n').map((l) => l.trim()).find((n) => n.endsWith(`_vm-${serverId}`)));
    const [namespace, name] = domain.split('_') as [string, string];
    vm = { namespace, name };
    // Booted, and the balloon has taken the guest down to its 256 MiB: the same MemTotal twice in a row.
    const first = await host.waitForStat(domain, 'its first GUEST-STAT', (s) => s.nproc === 1, 120_000);
    const settled = await host.waitForStat(domain, 'a settled MemTotal under 256 MiB', (s) => {
      const previous = host.stats(domain).find((p) => p.t === s.t - 1);
      return s.memTotalKiB < 256 * MiB_IN_KIB && previous?.memTotalKiB === s.memTotalKiB;
    }, 60_000, first.t);
    bootMemKiB = settled.memTotalKiB;
  }, 420_000);

  afterAll(async () => {
    await harness?.cleanup();
    build?.remove();
    await host?.stop();
  }, 120_000);

  it('boots the VM as a real guest named as KubeVirt names it, with 1 of 4 vCPUs and 256 MiB of 640', async () => {
    expect(domain).toBe(`${vm.namespace}_vm-${serverId}`);
    expect(guest().nproc).toBe(1);
    expect((await host.virsh('vcpucount', '--domain', domain, '--live', '--maximum')).trim()).toBe('4');
    const info = await host.virsh('dominfo', '--domain', domain);
    expect(info).toMatch(/Max memory:\s+655360 KiB/);
    expect(info).toMatch(/Used memory:\s+262144 KiB/);
  });

  it('1a. hot resize to 2 vCPUs through the API: the guest onlines the second CPU, the server shows 2, the action succeeded', async () => {
    const from = guest().t;
    const action = await hotResize({ vcpus: 2 });
    succeeded(action);
    await host.waitForStat(domain, 'nproc=2', (s) => s.nproc === 2, 60_000, from);
    expect((await server()).flavor).toMatchObject({ vcpus: 2, ram: 256 });
  }, 180_000);

  it('3. libvirt refusing the vCPU hot-add (QEMU already holds the device id it needs) leaves the VM at 2 vCPUs, the pod resize undone and the reason in the action', async () => {
    const podBefore = await simulator.launcherCompute(vm.namespace, vm.name);
    // libvirt adds vCPU 2 as device "vcpu2": a device of that id already in QEMU makes it refuse.
    await host.virsh('qemu-monitor-command', domain, JSON.stringify({ execute: 'device_add', arguments: { driver: 'virtio-rng-pci', id: 'vcpu2' } }));
    const from = guest().t;
    try {
      const reply = await rest.call('POST', `${SERVERS}/${serverId}/action`, { 'os-hotResize': { vcpus: 3 } });
      expect(reply.status).toBe(202);
      const action = await settledAction(reply.requestId!);
      expect(action.message).toBe('Error');
      const failed = action.events.find((e: { result: string }) => e.result === 'Error');
      expect(failed).toMatchObject({ event: 'resize-guest', traceback: 'LibvirtError' });
      expect(failed.details).toContain("Duplicate device ID 'vcpu2'");
      expect(action.events.map((e: { event: string }) => e.event)).toContain('shrink-launcher-pod');
      expect(await server()).toMatchObject({ status: 'ACTIVE', flavor: expect.objectContaining({ vcpus: 2, ram: 256 }) });
      // the launcher pod is back at its size, asked and applied
      expect(await simulator.launcherCompute(vm.namespace, vm.name)).toEqual(podBefore);
      // and the guest never saw a third CPU
      await host.waitForStat(domain, 'a report after the failure', () => true, 30_000, guest().t);
      expect(host.stats(domain).filter((s) => s.t > from).map((s) => s.nproc)).toEqual(expect.arrayContaining([2]));
      expect(host.stats(domain).filter((s) => s.t > from && s.nproc !== 2)).toEqual([]);
      expect((await host.virsh('vcpucount', '--domain', domain, '--live', '--current')).trim()).toBe('2');
    } finally {
      await host.virsh('qemu-monitor-command', domain, JSON.stringify({ execute: 'device_del', arguments: { id: 'vcpu2' } }));
      await until('QEMU to release device vcpu2', async () => {
        const listed = await host.virsh('qemu-monitor-command', domain, JSON.stringify({ execute: 'qom-list', arguments: { path: '/machine/peripheral' } }));
        return listed.includes('"vcpu2"') ? undefined : true;
      }, 60_000);
    }
  }, 240_000);

  it('1b. hot resize to 4 vCPUs: the guest reports 4 CPUs online, the server shows 4, the action succeeded', async () => {
    const from = guest().t;
    const action = await hotResize({ vcpus: 4 });
    succeeded(action);
    await host.waitForStat(domain, 'nproc=4', (s) => s.nproc === 4, 60_000, from);
    expect((await server()).flavor).toMatchObject({ vcpus: 4, ram: 256 });
  }, 180_000);

  it('1c. hot resize memory 256 → 512 MiB: the guest\'s MemTotal grows by 256 MiB, the server shows 512, the action succeeded', async () => {
    const from = guest().t;
    const action = await hotResize({ ram: 512 });
    succeeded(action);
    const seen = await host.waitForStat(domain, 'MemTotal up by 256 MiB', (s) => s.memTotalKiB >= bootMemKiB + 256 * MiB_IN_KIB, 60_000, from);
    expect(seen.memTotalKiB - bootMemKiB).toBe(256 * MiB_IN_KIB);
    expect(seen.nproc).toBe(4);
    expect((await server()).flavor).toMatchObject({ vcpus: 4, ram: 512 });
  }, 180_000);

  it('2. beyond the headroom it booted with: refused with a clear 400 before anything is touched, the guest unchanged', async () => {
    const before = guest();
    const podBefore = await simulator.launcherCompute(vm.namespace, vm.name);
    const actionsBefore = (await rest.call('GET', `${SERVERS}/${serverId}/os-instance-actions`)).body.instanceActions.length;
    const cpus = await rest.call('POST', `${SERVERS}/${serverId}/action`, { 'os-hotResize': { vcpus: 5 } });
    const memory = await rest.call('POST', `${SERVERS}/${serverId}/action`, { 'os-hotResize': { ram: 1024 } });
    for (const [reply, words] of [[cpus, /5 vCPUs.*at most 4/], [memory, /1024 MB.*at most 640 MB/]] as const) {
      expect([400, 409]).toContain(reply.status);
      expect(JSON.stringify(reply.body)).toMatch(words);
    }
    expect((await rest.call('GET', `${SERVERS}/${serverId}/os-instance-actions`)).body.instanceActions).toHaveLength(actionsBefore);
    expect(await simulator.launcherCompute(vm.namespace, vm.name)).toEqual(podBefore);
    const after = await host.waitForStat(domain, 'two more reports', () => true, 30_000, before.t + 1);
    expect({ nproc: after.nproc, mem: after.memTotalKiB }).toEqual({ nproc: before.nproc, mem: before.memTotalKiB });
  }, 120_000);

  it('4. AttachNic / DetachNic through os-interface: the guest sees a NIC with the port\'s MAC appear, then go', async () => {
    const network = await rest.call('POST', '/network/v2.0/networks', { network: { name: 'rg-net' } });
    expect(network.status).toBe(201);
    const subnet = await rest.call('POST', '/network/v2.0/subnets', { subnet: { network_id: network.body.network.id, cidr: '10.40.0.0/24', ip_version: 4 } });
    expect(subnet.status).toBe(201);
    const port = await rest.call('POST', '/network/v2.0/ports', { port: { network_id: network.body.network.id } });
    expect(port.status).toBe(201);
    const mac = (port.body.port.mac_address as string).toLowerCase();

    const from = guest().t;
    const attached = await rest.call('POST', `${SERVERS}/${serverId}/os-interface`, { interfaceAttachment: { port_id: port.body.port.id } });
    expect(attached.status).toBe(200);
    expect(attached.body.interfaceAttachment).toMatchObject({ mac_addr: port.body.port.mac_address, port_state: 'ACTIVE' });
    const plugged = await host.waitForStat(domain, `a NIC with MAC ${mac}`, (s) => s.nics.some((n) => n.mac === mac), 60_000, from);
    expect(plugged.nics).toEqual([{ name: 'eth0', mac }]);

    const detached = await rest.call('DELETE', `${SERVERS}/${serverId}/os-interface/${port.body.port.id}`);
    expect(detached.status).toBe(202);
    await host.waitForStat(domain, 'no NIC', (s) => s.nics.length === 0, 90_000, plugged.t);
    await until('the port free again', async () => ((await rest.call('GET', `/network/v2.0/ports/${port.body.port.id}`)).body.port.device_id === '' ? true : undefined));
    const actions = (await rest.call('GET', `${SERVERS}/${serverId}/os-instance-actions`)).body.instanceActions as Array<{ action: string; message: string | null }>;
    expect(actions.filter((a) => a.action.endsWith('_interface')).map((a) => [a.action, a.message])).toEqual(expect.arrayContaining([['attach_interface', null], ['detach_interface', null]]));
  }, 240_000);

  it('5. virtplane killed with SIGKILL right after the memory hot-add and started again: the resize completes once, the guest at 640 MiB', async () => {
    await harness.current!.kill('SIGTERM', 30_000);
    const armed = await harness.start({ ...extra, VIRTPLANE_FAILPOINTS: 'after-side-effect:hot-add-memory' }, 'real guest: armed to die after the memory hot-add');
    rest.at(armed.baseUrl);
    const client = await ServiceClient.open(harness);
    try {
      const resizedBefore = (await client.vmStream(serverId)).filter((e) => e.type === 'VMHotResized').length;
      const from = guest().t;
      const reply = await rest.call('POST', `${SERVERS}/${serverId}/action`, { 'os-hotResize': { ram: 640 } });
      expect(reply.status).toBe(202);
      expect((await armed.waitForExit(120_000)).signal).toBe('SIGKILL');
      // killed after libvirt took the change and before the step (resize-guest) was recorded
      const atKill = streamSummary(await client.vmStream(serverId));
      expect(atKill.slice(atKill.lastIndexOf('VMHotResizeRequested')).some((t) => t.includes('resize-guest'))).toBe(false);

      const restarted = await harness.start(extra, 'real guest: after the kill');
      rest.at(restarted.baseUrl);
      const action = await settledAction(reply.requestId!);
      succeeded(action);
      const events = await client.vmStream(serverId);
      const summary = streamSummary(events);
      const task = summary.slice(summary.lastIndexOf('VMHotResizeRequested'));
      expect(task.filter((t) => /^Task(StepFailed|Failed|CompensationStarted)/.test(t))).toEqual([]);
      const steps = task.filter((t) => t.startsWith('TaskStep'));
      expect(new Set(steps).size).toBe(steps.length);
      expect(events.filter((e) => e.type === 'VMHotResized')).toHaveLength(resizedBefore + 1);
      const seen = await host.waitForStat(domain, 'MemTotal at 640 MiB', (s) => s.memTotalKiB >= bootMemKiB + 384 * MiB_IN_KIB, 60_000, from);
      expect(seen.memTotalKiB - bootMemKiB).toBe(384 * MiB_IN_KIB);
      expect((await server()).flavor).toMatchObject({ vcpus: 4, ram: 640 });
      // the same guest all along: it was never rebooted (its uptime counter only grew)
      const ts = host.stats(domain).map((s: GuestStat) => s.t);
      expect(ts.every((t, i) => i === 0 || t === ts[i - 1]! + 1)).toBe(true);
    } finally {
      await client.close();
    }
  }, 300_000);

  it('shrinking vCPUs (4 → 2) either works or fails clearly, and the recorded size matches what libvirt and the guest have', async () => {
    const before = guest();
    const reply = await rest.call('POST', `${SERVERS}/${serverId}/action`, { 'os-hotResize': { vcpus: 2 } });
    if (reply.status !== 202) {
      // refused before anything is touched
      expect([400, 409]).toContain(reply.status);
      expect(JSON.stringify(reply.body)).toMatch(/vCPU/);
      const after = await host.waitForStat(domain, 'two more reports', () => true, 30_000, before.t + 1);
      expect(after.nproc).toBe(4);
      expect((await server()).flavor.vcpus).toBe(4);
      console.info(`vCPU shrink: refused by the API (${reply.status}): ${JSON.stringify(reply.body)}`);
      return;
    }
    const action = await settledAction(reply.requestId!);
    const s = await server();
    const libvirtCount = Number((await host.virsh('vcpucount', '--domain', domain, '--live', '--current')).trim());
    await host.waitForStat(domain, 'a report after the shrink', () => true, 30_000, guest().t);
    console.info(`vCPU shrink: action ${action.message ?? 'succeeded'}; server ${s.flavor.vcpus} vCPUs, libvirt ${libvirtCount}, guest nproc ${guest().nproc}; events ${JSON.stringify(action.events.map((e: { event: string; result: string; details?: string }) => [e.event, e.result, e.details]))}`);
    expect(s.status).toBe('ACTIVE');
    if (action.message === null) {
      expect({ server: s.flavor.vcpus, libvirt: libvirtCount, guest: guest().nproc }).toEqual({ server: 2, libvirt: 2, guest: 2 });
    } else {
      // Failed: the server keeps the size libvirt still counts, and libvirt's reason is recorded. Under
      // TCG libvirt times out on the unplug while QEMU and the guest finish it (README "Real guest"):
      // the guest may then have fewer CPUs online than libvirt (and so virtplane) counts.
      expect(s.flavor.vcpus).toBe(libvirtCount);
      expect(action.events.find((e: { result: string }) => e.result === 'Error')?.details).toMatch(/unplug|timed out/i);
      expect(guest().nproc).toBeGreaterThanOrEqual(2);
      expect(guest().nproc).toBeLessThanOrEqual(4);
    }
  }, 300_000);
});
