import { DEFAULT_IMAGES } from '../../../src/domain/image/default-images.js';
import { imageDecider } from '../../../src/domain/image/image.decider.js';
import { ImageExistsError, ImageNotFoundError, ImageProtectedError, InvalidImageError } from '../../../src/domain/image/image.errors.js';
import type { ImageEvent } from '../../../src/domain/image/image.events.js';
import { isRegistryRef } from '../../../src/domain/image/registry-ref.js';
import { deciderSpec } from '../../support/decider-spec.js';

const spec = deciderSpec(imageDecider, { now: '2026-11-22T10:00:00.000Z' });
const fedora = DEFAULT_IMAGES[0]!;
const registered: ImageEvent = { type: 'ImageRegistered', data: fedora };

describe('Image decider', () => {
  it('given no image, when registered, then ImageRegistered; again, then ImageExists', () => {
    spec.given([]).when({ type: 'RegisterImage', data: fedora }).then([registered]);
    spec.given([registered]).when({ type: 'RegisterImage', data: fedora }).thenThrows(ImageExistsError, `Image with identifier ${fedora.id} already exists!`);
  });

  it('given a deleted image, when its id is registered again, then ImageExists (ids stay taken)', () => {
    spec.given([registered, { type: 'ImageDeleted', data: { id: fedora.id } }]).when({ type: 'RegisterImage', data: fedora }).thenThrows(ImageExistsError);
  });

  it.each([
    ['a registry ref without a scheme', { registryRef: 'quay.io/containerdisks/fedora:41' }],
    ['a registry ref without a tag', { registryRef: 'docker://quay.io/containerdisks/fedora' }],
    ['an id that is not a UUID', { id: 'fedora' }],
    ['a negative min_ram', { minRamMb: -1 }],
    ['an empty tag', { tags: [''] }],
  ])('given no image, when registered with %s, then InvalidImage', (_why, change) => {
    spec.given([]).when({ type: 'RegisterImage', data: { ...fedora, ...change } }).thenThrows(InvalidImageError);
  });

  it('given an image, when deleted, then ImageDeleted; deleted again, then ImageNotFound; a protected one, ImageProtected', () => {
    spec.given([registered]).when({ type: 'DeleteImage', data: { id: fedora.id } }).then([{ type: 'ImageDeleted', data: { id: fedora.id } }]);
    spec.given([registered, { type: 'ImageDeleted', data: { id: fedora.id } }]).when({ type: 'DeleteImage', data: { id: fedora.id } }).thenThrows(ImageNotFoundError);
    spec.given([{ type: 'ImageRegistered', data: { ...fedora, protected: true } }]).when({ type: 'DeleteImage', data: { id: fedora.id } }).thenThrows(ImageProtectedError);
  });

  it('accepts tag and digest references with a registry port', () => {
    expect(isRegistryRef('docker://registry.example.com:5000/team/disk@sha256:' + 'a'.repeat(64))).toBe(true);
    expect(isRegistryRef('docker://harbor.local/library/ubuntu:24.04')).toBe(true);
    expect(isRegistryRef('http://harbor.local/library/ubuntu:24.04')).toBe(false);
  });
});
