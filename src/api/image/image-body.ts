import type { ImageView } from '../../projections/images/images.queries.js';

/** The property that carries the image's container-registry reference (docker://...). */
export const REGISTRY_REF_PROPERTY = 'virtplane_registry_ref';

/** Glance v2's image: its attributes, then the free-form properties at the top level. */
export function imageBody(image: ImageView) {
  return {
    ...image.properties,
    id: image.id,
    name: image.name,
    status: 'active',
    visibility: image.visibility,
    protected: image.protected,
    os_hidden: false,
    owner: image.owner,
    container_format: image.containerFormat,
    disk_format: image.diskFormat,
    min_disk: image.minDiskGb,
    min_ram: image.minRamMb,
    size: null,
    virtual_size: null,
    checksum: null,
    os_hash_algo: null,
    os_hash_value: null,
    tags: image.tags,
    created_at: `${image.createdAt.slice(0, 19)}Z`,
    updated_at: `${image.updatedAt.slice(0, 19)}Z`,
    [REGISTRY_REF_PROPERTY]: image.registryRef,
    self: `/v2/images/${image.id}`,
    file: `/v2/images/${image.id}/file`,
    schema: '/v2/schemas/image',
  };
}
