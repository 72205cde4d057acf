export interface RealGuestDomainSpec {
  /** <namespace>_<vmi name>, as KubeVirt names the domain. */
  name: string;
  /** Marks the domain as a VMI's (and which incarnation): kept in <description>. */
  description: string;
  vcpus: number;
  maxVcpus: number;
  memoryMiB: number;
  maxMemoryMiB: number;
  kernel: string;
  initrd: string;
  serialLog: string;
}

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/'/g, '&apos;').replace(/"/g, '&quot;');

/**
 * The libvirt domain of a real guest: software emulation (type 'qemu', TCG: this host's /dev/kvm
 * cannot run a stock kernel, see ../shared/docs/real-guest.md), direct kernel boot, the serial
 * console to a file. Sized so that the hypervisor adapter's calls work as on KubeVirt:
 * - vCPUs: `current` of `maxVcpus` (KubeVirt's maxSockets), hot-added by `setvcpus --live`.
 * - memory: the domain has maxGuest and a virtio balloon holds it at `guest` (currentMemory), so
 *   `setmem --live` up to maxGuest gives memory back to the guest, which shows in its MemTotal.
 *   maxMemory slots and a NUMA cell make DIMM and virtio-mem hot-add possible as well.
 */
export function realGuestDomainXml(spec: RealGuestDomainSpec): string {
  const maxMemory = Math.max(spec.maxMemoryMiB, spec.memoryMiB);
  const maxVcpus = Math.max(spec.maxVcpus, spec.vcpus);
  return [
    `<domain type='qemu'>`,
    `  <name>${escape(spec.name)}</name>`,
    `  <description>${escape(spec.description)}</description>`,
    `  <maxMemory slots='4' unit='MiB'>${maxMemory + 1024}</maxMemory>`,
    `  <memory unit='MiB'>${maxMemory}</memory>`,
    `  <currentMemory unit='MiB'>${spec.memoryMiB}</currentMemory>`,
    `  <vcpu placement='static' current='${spec.vcpus}'>${maxVcpus}</vcpu>`,
    `  <os>`,
    `    <type arch='x86_64' machine='pc'>hvm</type>`,
    `    <kernel>${escape(spec.kernel)}</kernel>`,
    `    <initrd>${escape(spec.initrd)}</initrd>`,
    `    <cmdline>console=ttyS0 quiet panic=-1</cmdline>`,
    `  </os>`,
    `  <features><acpi/><apic/></features>`,
    `  <cpu mode='maximum'>`,
    `    <numa><cell id='0' cpus='0-${maxVcpus - 1}' memory='${maxMemory}' unit='MiB'/></numa>`,
    `  </cpu>`,
    `  <on_poweroff>destroy</on_poweroff>`,
    `  <on_reboot>destroy</on_reboot>`,
    `  <on_crash>destroy</on_crash>`,
    `  <devices>`,
    `    <serial type='file'><source path='${escape(spec.serialLog)}'/><target port='0'/></serial>`,
    `    <memballoon model='virtio'><stats period='2'/></memballoon>`,
    `  </devices>`,
    `</domain>`,
    '',
  ].join('\n');
}
