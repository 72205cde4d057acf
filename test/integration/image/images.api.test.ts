import { DEFAULT_IMAGES } from '../../../src/domain/image/default-images.js';
import { PUBLIC, startCatalogueApp, type CatalogueApp } from '../flavors/catalogue-app.js';

const IMAGES = '/image/v2/images';
const IMAGE_KEYS = [
  'checksum', 'container_format', 'created_at', 'disk_format', 'file', 'id', 'min_disk', 'min_ram', 'name', 'os_distro', 'os_hash_algo',
  'os_hash_value', 'os_hidden', 'owner', 'protected', 'schema', 'self', 'size', 'status', 'tags', 'updated_at', 'virtplane_registry_ref',
  'virtual_size', 'visibility',
];

describe('image API (Glance v2)', () => {
  let c: CatalogueApp;
  beforeAll(async () => {
    c = await startCatalogueApp();
  });
  afterAll(async () => {
    await c?.close();
  });

  it('given no token, when versions are discovered, then /image answers 300 and /image/versions 200 with v2 CURRENT', async () => {
    const root = await c.call('GET', '/image', null);
    expect(root.status).toBe(300);
    const versions = await c.call('GET', '/image/versions', null);
    expect(versions.status).toBe(200);
    expect(versions.json().versions[0]).toEqual({ id: 'v2.16', status: 'CURRENT', links: [{ rel: 'self', href: `${PUBLIC}/image/v2/` }] });
    expect((await c.call('GET', IMAGES, null)).status).toBe(401);
  });

  it('given the seeded catalogue, when listed, then Glance list shape with the containerdisks', async () => {
    const res = await c.call('GET', IMAGES, c.demo);
    expect(res.status).toBe(200);
    const body = res.json();
    expect(Object.keys(body).sort()).toEqual(['first', 'images', 'schema']);
    expect(body.first).toBe('/v2/images');
    expect(body.schema).toBe('/v2/schemas/images');
    expect(body.images.map((i: { name: string }) => i.name).sort()).toEqual(['cirros-0.6.2', 'fedora-41', 'ubuntu-24.04']);
    const fedora = body.images.find((i: { name: string }) => i.name === 'fedora-41');
    expect(Object.keys(fedora).sort()).toEqual(IMAGE_KEYS);
    expect(fedora).toMatchObject({
      id: DEFAULT_IMAGES[0]!.id, status: 'active', visibility: 'public', container_format: 'bare', disk_format: 'qcow2',
      virtplane_registry_ref: 'docker://quay.io/containerdisks/fedora:41', self: `/v2/images/${DEFAULT_IMAGES[0]!.id}`,
    });
    expect(fedora.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it('given images, when paged with a limit, then next carries the last id as marker, and first drops the marker', async () => {
    const page1 = (await c.call('GET', `${IMAGES}?limit=2&sort_key=name&sort_dir=asc`, c.demo)).json();
    expect(page1.images.map((i: { name: string }) => i.name)).toEqual(['cirros-0.6.2', 'fedora-41']);
    expect(page1.next).toBe(`/v2/images?limit=2&sort_key=name&sort_dir=asc&marker=${page1.images[1].id}`);
    const page2 = (await c.call('GET', page1.next.replace('/v2/images', IMAGES), c.demo)).json();
    expect(page2.images.map((i: { name: string }) => i.name)).toEqual(['ubuntu-24.04']);
    expect(page2.first).toBe('/v2/images?limit=2&sort_key=name&sort_dir=asc');
    expect(page2.next).toBeUndefined();
    expect((await c.call('GET', `${IMAGES}?marker=00000000-0000-4000-8000-000000000000`, c.demo)).status).toBe(400);
    expect((await c.call('GET', `${IMAGES}?limit=-1`, c.demo)).status).toBe(400);
  });

  it('given an image id, when shown, then the image; an unknown one is 404', async () => {
    const res = await c.call('GET', `${IMAGES}/${DEFAULT_IMAGES[1]!.id}`, c.reader);
    expect(res.status).toBe(200);
    expect(res.json().name).toBe('ubuntu-24.04');
    const missing = await c.call('GET', `${IMAGES}/00000000-0000-4000-8000-000000000000`, c.demo);
    expect(missing.status).toBe(404);
    expect(missing.json().itemNotFound.message).toBe('No image found with ID 00000000-0000-4000-8000-000000000000');
  });

  it('given admin, when an image is registered, then 201 with its properties; a private one is seen by its project only', async () => {
    const body = {
      name: 'harbor-debian', container_format: 'bare', disk_format: 'raw', visibility: 'private', tags: ['edge'],
      virtplane_registry_ref: 'docker://harbor.local/library/debian:12', os_distro: 'debian',
    };
    const res = await c.call('POST', IMAGES, c.admin, body);
    expect(res.status).toBe(201);
    const image = res.json();
    expect(image).toMatchObject({ name: 'harbor-debian', visibility: 'private', disk_format: 'raw', tags: ['edge'], os_distro: 'debian', status: 'active' });
    expect(image.virtplane_registry_ref).toBe('docker://harbor.local/library/debian:12');
    expect((await c.call('GET', `${IMAGES}/${image.id}`, c.admin)).status).toBe(200);
    expect((await c.call('GET', `${IMAGES}/${image.id}`, c.demo)).status).toBe(404);
    const demoList = (await c.call('GET', IMAGES, c.demo)).json().images.map((i: { id: string }) => i.id);
    expect(demoList).not.toContain(image.id);

    const again = await c.call('POST', IMAGES, c.admin, { ...body, id: image.id });
    expect(again.status).toBe(409);
  });

  it.each([
    ['no registry reference', { container_format: 'bare', disk_format: 'qcow2' }],
    ['a bad registry reference', { container_format: 'bare', disk_format: 'qcow2', virtplane_registry_ref: 'ftp://x/y:1' }],
    ['container_format ovf', { container_format: 'ovf', disk_format: 'qcow2', virtplane_registry_ref: 'docker://quay.io/a/b:1' }],
    ['disk_format vmdk', { container_format: 'bare', disk_format: 'vmdk', virtplane_registry_ref: 'docker://quay.io/a/b:1' }],
    ['a non-string property', { container_format: 'bare', disk_format: 'qcow2', virtplane_registry_ref: 'docker://quay.io/a/b:1', cpus: 4 }],
  ])('given %s, when admin registers an image, then 400', async (_why, body) => {
    expect((await c.call('POST', IMAGES, c.admin, body)).status).toBe(400);
  });

  it('given a read-only attribute, when registering, then 403; a member or reader registering or deleting, 403', async () => {
    const base = { container_format: 'bare', disk_format: 'qcow2', virtplane_registry_ref: 'docker://quay.io/a/b:1' };
    expect((await c.call('POST', IMAGES, c.admin, { ...base, status: 'active' })).status).toBe(403);
    expect((await c.call('POST', IMAGES, c.demo, base)).status).toBe(403);
    expect((await c.call('POST', IMAGES, c.reader, base)).status).toBe(403);
    expect((await c.call('DELETE', `${IMAGES}/${DEFAULT_IMAGES[2]!.id}`, c.demo)).status).toBe(403);
  });

  it('given an image, when admin deletes it, then 204 and it is gone; a protected one cannot be deleted (403)', async () => {
    const made = (await c.call('POST', IMAGES, c.admin, { name: 'tmp', container_format: 'bare', disk_format: 'qcow2', visibility: 'public', virtplane_registry_ref: 'docker://quay.io/a/tmp:1' })).json();
    expect((await c.call('DELETE', `${IMAGES}/${made.id}`, c.admin)).status).toBe(204);
    expect((await c.call('GET', `${IMAGES}/${made.id}`, c.admin)).status).toBe(404);
    expect((await c.call('DELETE', `${IMAGES}/${made.id}`, c.admin)).status).toBe(404);
    const locked = (await c.call('POST', IMAGES, c.admin, { name: 'locked', protected: true, container_format: 'bare', disk_format: 'qcow2', virtplane_registry_ref: 'docker://quay.io/a/locked:1' })).json();
    expect((await c.call('DELETE', `${IMAGES}/${locked.id}`, c.admin)).status).toBe(403);
  });
});
