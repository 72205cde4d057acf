import { createHash } from 'node:crypto';
import type { ImageData } from './image.events.js';

/** A UUID (version 5 layout) from a name, so a seeded image has the same id on every installation. */
export function stableImageId(name: string): string {
  const h = createHash('sha1').update(`virtplane-image\u0000${name}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

const image = (name: string, registryRef: string, distro: string, minRamMb: number): ImageData => ({
  id: stableImageId(name),
  name,
  owner: null,
  visibility: 'public',
  containerFormat: 'bare',
  diskFormat: 'qcow2',
  minDiskGb: 0,
  minRamMb,
  protected: false,
  tags: [],
  registryRef,
  properties: { os_distro: distro },
});

/** The catalogue a fresh installation starts with: containerdisks, as KubeVirt's docs use them. */
export const DEFAULT_IMAGES: readonly ImageData[] = [
  image('fedora-41', 'docker://quay.io/containerdisks/fedora:41', 'fedora', 1024),
  image('ubuntu-24.04', 'docker://quay.io/containerdisks/ubuntu:24.04', 'ubuntu', 1024),
  image('cirros-0.6.2', 'docker://quay.io/kubevirt/cirros-container-disk-demo:v1.4.0', 'cirros', 64),
];
