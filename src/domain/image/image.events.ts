export type ImageVisibility = 'public' | 'private' | 'shared' | 'community';

/** A disk image kept in a container registry (a KubeVirt containerDisk), as the catalogue records it. */
export interface ImageData {
  id: string;
  name: string;
  /** Project that owns it; null for the catalogue's own (seeded) images. */
  owner: string | null;
  visibility: ImageVisibility;
  containerFormat: 'bare';
  diskFormat: 'qcow2' | 'raw';
  minDiskGb: number;
  minRamMb: number;
  protected: boolean;
  tags: string[];
  /** docker://registry/repository:tag (or @sha256:digest): where the VM's disk comes from. */
  registryRef: string;
  /** Other free-form properties (Glance's additional properties), strings only. */
  properties: Record<string, string>;
}

export type ImageEvent = { type: 'ImageRegistered'; data: ImageData } | { type: 'ImageDeleted'; data: { id: string } };

export type ImageEventType = ImageEvent['type'];

export const IMAGE_EVENT_VERSIONS: Record<ImageEventType, number> = { ImageRegistered: 1, ImageDeleted: 1 };

export const imageStreamId = (imageId: string): string => `image-${imageId}`;
