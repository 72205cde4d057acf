/**
 * A real guest behind the cluster simulator: the VMs the simulator places on `node` run as QEMU
 * guests under the libvirtd at `uri` (scripts/real-guest/guest.sh start), and their launcher pods'
 * `virsh` reaches that libvirtd.
 */
export interface RealGuestOptions {
  /** The libvirtd's connection URI, e.g. qemu:///system?socket=/tmp/vprg-1/sock/libvirt-sock. */
  uri: string;
  /** The simulated node whose VMIs are real guests; VMIs on other nodes keep the guest model. */
  node: string;
  /** The guest's kernel and initramfs (scripts/real-guest/guest.sh paths). */
  kernel: string;
  initrd: string;
  /** Where each domain's serial console goes, as <domain name>.log (the guest reports there). */
  serialDir: string;
  /** How often the launcher and handler roles compare the VMIs with libvirt (default 500 ms). */
  intervalMs?: number;
}
