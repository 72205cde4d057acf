import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isTerminating, types } from '../controllers/cluster-context.js';
import { guestMemoryOf, vcpusOf } from '../controllers/launcher-pod.js';
import { listedFrom } from '../controllers/network-status.js';
import type { KubeObject } from '../store/kube-object.js';
import type { ResourceService } from '../store/resource-service.js';
import { GuestDomains } from './guest-domains.js';
import { realGuestDomainXml } from './real-guest-domain-xml.js';
import type { RealGuestOptions } from './real-guest-options.js';
import { RealVirsh, type VirshCommands } from './real-virsh.js';

const OWNER = /^virtplane cluster simulator: VMI (\S+)/;
const MiB = 2 ** 20;

interface LibvirtDomain {
  name: string;
  running: boolean;
}

/**
 * What virt-launcher and virt-handler do to a real libvirt for the VMIs on the real-guest node,
 * in the background (libvirt calls take time; the simulated controllers never wait on them):
 * - virt-launcher: a scheduled or running VMI gets its domain `<namespace>_<vmi>`, defined from the
 *   VMI spec (vCPUs of maxSockets, guest memory of maxGuest) and started once; a domain whose VMI
 *   is gone, terminating or replaced by a new one (another uid) is destroyed and undefined. A domain
 *   that stopped on its own (QEMU crashed) is left stopped, as a dead launcher would leave it.
 * - virt-handler: the secondary NICs the VMI lists from `multus-status` (Multus attached them to the
 *   pod) are hot-plugged into the domain as virtio NICs on bridge br0 with their MAC; those marked
 *   absent, or no longer listed, are unplugged. What libvirt then shows (`domiflist`) is recorded as
 *   the domain's NICs in `domains`, from which the network controller reports infoSource `domain`:
 *   a NIC is in the VMI's domain only once it really is in libvirt's.
 * Domains are known as the simulator's by their <description> (which names the VMI's uid), so a
 * restarted simulator picks up its running guests rather than booting them again.
 */
export class RealGuestLauncher {
  private timer: NodeJS.Timeout | undefined;
  private current: Promise<void> | null = null;
  /** Domain name → the VMI uid it was defined for ('' when not the simulator's). */
  private readonly owners = new Map<string, string>();
  private lastError = '';
  readonly errors: string[] = [];

  constructor(
    private readonly service: ResourceService,
    private readonly domains: GuestDomains,
    private readonly options: RealGuestOptions,
    private readonly virsh: VirshCommands = new RealVirsh(options.uri),
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.tick(), this.options.intervalMs ?? 500);
    this.timer.unref();
  }

  /** Stops looking; the guests keep running (a simulator restart finds them again). */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.current;
  }

  /** One pass (or the one under way). */
  tick(): Promise<void> {
    this.current ??= this.pass()
      .catch((error: unknown) => this.note(error))
      .finally(() => {
        this.current = null;
      });
    return this.current;
  }

  private async pass(): Promise<void> {
    const wanted = new Map<string, KubeObject>();
    const onThisNode = (vmi: Readonly<KubeObject>) => {
      const phase = vmi.status?.phase as string | undefined;
      return vmi.status?.nodeName === this.options.node && !isTerminating(vmi) && (phase === 'Scheduled' || phase === 'Running');
    };
    // only this node's VMIs are copied, not every VMI of the cluster each pass
    for (const vmi of this.service.list(types.vmi, undefined, onThisNode)) {
      wanted.set(GuestDomains.domainName(vmi.metadata.namespace!, vmi.metadata.name), vmi);
    }
    const domains = await this.listDomains();
    for (const domain of domains) {
      const owner = await this.ownerOf(domain.name);
      if (!owner) continue; // not one of the simulator's
      if (wanted.get(domain.name)?.metadata.uid === owner) continue;
      await this.remove(domain.name);
    }
    for (const [name, vmi] of wanted) {
      try {
        const domain = domains.find((d) => d.name === name);
        if (!domain || this.owners.get(name) !== vmi.metadata.uid) await this.launch(name, vmi);
        else if (domain.running && vmi.status?.phase === 'Running') await this.plugNics(name, vmi);
      } catch (error) {
        this.note(error);
      }
    }
  }

  private async listDomains(): Promise<LibvirtDomain[]> {
    const text = await this.virsh.check(['-q', 'list', '--all']);
    return text
      .split('\n')
      .map((line) => line.trim().split(/\s+/))
      .filter((cells) => cells.length >= 3)
      .map((cells) => ({ name: cells[1]!, running: cells.slice(2).join(' ') === 'running' }));
  }

  private async ownerOf(name: string): Promise<string> {
    const known = this.owners.get(name);
    if (known !== undefined) return known;
    const description = await this.virsh.run(['-q', 'desc', '--domain', name]);
    const owner = OWNER.exec(description.stdout.trim())?.[1] ?? '';
    this.owners.set(name, owner);
    return owner;
  }

  private async launch(name: string, vmi: KubeObject): Promise<void> {
    const cpu = vcpusOf(vmi);
    const memory = guestMemoryOf(vmi);
    const serialLog = join(this.options.serialDir, `${name}.log`);
    const xmlFile = join(this.options.serialDir, `${name}.xml`);
    writeFileSync(xmlFile, realGuestDomainXml({
      name,
      description: `virtplane cluster simulator: VMI ${vmi.metadata.uid}`,
      vcpus: cpu.vcpus,
      maxVcpus: cpu.maxVcpus,
      memoryMiB: Math.round(memory.guest / MiB),
      maxMemoryMiB: Math.round(memory.maxGuest / MiB),
      kernel: this.options.kernel,
      initrd: this.options.initrd,
      serialLog,
    }));
    rmSync(serialLog, { force: true });
    await this.virsh.check(['-q', 'define', '--file', xmlFile]);
    this.owners.set(name, vmi.metadata.uid);
    await this.virsh.check(['-q', 'start', '--domain', name]);
    // virt-launcher reads the domain's state as soon as it runs (its domain informer). The first read
    // of a fresh QEMU domain takes libvirt about 4.5 s under TCG (later ones 50 ms): paid here, at
    // boot, as in KubeVirt, rather than by the first hot-add.
    await this.virsh.run(['-q', 'dominfo', '--domain', name], 60_000);
  }

  private async plugNics(name: string, vmi: KubeObject): Promise<void> {
    const spec = (vmi.spec?.domain?.devices?.interfaces ?? []) as Array<{ name: string; state?: string }>;
    const secondary = (i: { podInterfaceName?: string; mac?: string }) => i.podInterfaceName !== undefined && i.podInterfaceName !== 'eth0' && i.mac !== undefined;
    const wanted = listedFrom(vmi, 'multus-status')
      .filter((i) => secondary(i) && spec.some((s) => s.name === i.name && s.state !== 'absent'))
      .map((i) => i.mac!.toLowerCase());
    let plugged = await this.bridgeMacs(name);
    for (const mac of wanted.filter((m) => !plugged.includes(m))) {
      await this.virsh.check(['-q', 'attach-interface', '--domain', name, '--type', 'bridge', '--source', 'br0', '--mac', mac, '--model', 'virtio', '--live']);
    }
    for (const mac of plugged.filter((m) => !wanted.includes(m))) {
      await this.virsh.check(['-q', 'detach-interface', '--domain', name, '--type', 'bridge', '--mac', mac, '--live']);
    }
    if (wanted.some((m) => !plugged.includes(m)) || plugged.some((m) => !wanted.includes(m))) plugged = await this.bridgeMacs(name);
    this.recordNics(vmi, plugged);
  }

  /** The MACs of the domain's NICs on br0, as libvirt shows them. */
  private async bridgeMacs(name: string): Promise<string[]> {
    return (await this.virsh.check(['-q', 'domiflist', '--domain', name]))
      .split('\n')
      .map((line) => line.trim().split(/\s+/))
      .filter((cells) => cells.length >= 5 && cells[1] === 'bridge' && cells[2] === 'br0')
      .map((cells) => cells[4]!.toLowerCase());
  }

  /** The VMI's interfaces now in libvirt's domain (its primary is modelled, not plugged) go to its domain record. */
  private recordNics(vmi: KubeObject, plugged: string[]): void {
    const namespace = vmi.metadata.namespace!;
    // the VMI may have been replaced while virsh ran
    if (this.service.find(types.vmi, namespace, vmi.metadata.name)?.metadata.uid !== vmi.metadata.uid) return;
    const domain = this.domains.get(namespace, vmi.metadata.name);
    if (!domain) return;
    const listed = (vmi.status?.interfaces ?? []) as Array<{ name: string; mac?: string; podInterfaceName?: string }>;
    const primary = (domain.nics ?? []).filter((n) => listed.some((i) => i.name === n && i.podInterfaceName === 'eth0'));
    const secondary = listed.filter((i) => i.podInterfaceName !== 'eth0' && i.mac !== undefined && plugged.includes(i.mac.toLowerCase())).map((i) => i.name);
    const nics = [...primary, ...secondary];
    if (nics.join(',') !== (domain.nics ?? []).join(',')) domain.nics = nics;
  }

  private async remove(name: string): Promise<void> {
    await this.virsh.run(['-q', 'destroy', '--domain', name]); // already stopped: fine
    await this.virsh.check(['-q', 'undefine', '--domain', name]);
    this.owners.delete(name);
  }

  private note(error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    this.errors.push(message);
    if (this.errors.length > 100) this.errors.shift();
    // once per distinct failure: the loop retries every pass
    if (message !== this.lastError) process.stderr.write(`cluster simulator (real guest): ${message}\n`);
    this.lastError = message;
  }
}
