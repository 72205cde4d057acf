import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DomainDefinition } from '../../src/adapters/libvirt/domain-host.js';
import type { LibvirtTestDaemon } from './libvirt-daemon.js';

/** A test-driver domain with a vCPU and a memory maximum, as virt-launcher would define one. */
export function testDomainXml(name: string, definition: Pick<DomainDefinition, 'vcpus' | 'memoryMiB'>): string {
  return [
    "<domain type='test'>",
    `  <name>${name}</name>`,
    // create then define must agree on the UUID, or define refuses ("already exists with uuid").
    `  <uuid>${randomUUID()}</uuid>`,
    `  <memory unit='MiB'>${definition.memoryMiB.max}</memory>`,
    `  <currentMemory unit='MiB'>${definition.memoryMiB.current}</currentMemory>`,
    `  <vcpu placement='static' current='${definition.vcpus.current}'>${definition.vcpus.max}</vcpu>`,
    "  <os><type arch='x86_64'>hvm</type></os>",
    '</domain>',
    '',
  ].join('\n');
}

/**
 * Puts a domain on the daemon the way a launcher would: running (created, then defined so it has a
 * persistent config; libvirt's first event for it is then "Started"), paused, or only defined.
 */
export async function putDomain(daemon: LibvirtTestDaemon, name: string, definition: Omit<DomainDefinition, 'ref'>): Promise<void> {
  const file = join(daemon.dir, `${name}.xml`);
  writeFileSync(file, testDomainXml(name, definition));
  const state = definition.state ?? 'running';
  if (state === 'shutoff') {
    await daemon.virsh('define', file);
    return;
  }
  // The test driver refuses `create --paused` ("unsupported flags (0x1) in function testDomainCreateXML").
  await daemon.virsh('create', file);
  await daemon.virsh('define', file);
  if (state === 'paused') await daemon.virsh('suspend', name);
}

/** Destroys (if running) and undefines a domain; a domain already gone is fine. */
export async function removeDomain(daemon: LibvirtTestDaemon, name: string): Promise<void> {
  await daemon.virsh('destroy', name).catch(() => undefined);
  await daemon.virsh('undefine', name).catch(() => undefined);
}
