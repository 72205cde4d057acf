import { createImageSchema, listImagesQuerySchema } from '../../image/image-requests.schema.js';
import type { Catalogue } from '../operation-doc.js';

/** Glance v2 under /image: container-registry disk images. */
export const imageCatalogue: Catalogue = {
  'GET /image': {
    summary: 'Image API versions',
    tag: 'Version discovery',
    description: 'Glance answers its root with 300 Multiple Choices.',
    success: { status: 300, description: 'The v2 versions.' },
  },
  'GET /image/versions': {
    summary: 'Image API versions',
    tag: 'Version discovery',
    success: { status: 200, description: 'The v2 versions.' },
  },
  'GET /image/v2/images': {
    summary: 'List images',
    tag: 'Image',
    description: 'Members see public and community images and their project\'s; admin sees all. Glance\'s first/next/schema paging.',
    query: listImagesQuerySchema,
    success: { status: 200, description: 'The images, with first, next (when there is more) and schema.' },
    errors: { 400: 'A bad parameter or an unknown marker.' },
  },
  'GET /image/v2/images/{id}': {
    summary: 'Show an image',
    tag: 'Image',
    params: { id: 'The image\'s UUID.' },
    success: { status: 200, description: 'The image, with virtplane_registry_ref and its other properties.' },
    errors: { 404: 'No such image, or one the caller may not see.' },
  },
  'POST /image/v2/images': {
    summary: 'Register an image',
    tag: 'Image',
    description: [
      'Admin only. There is no image data to upload: `virtplane_registry_ref` (`docker://host[:port]/path:tag` or',
      '`@sha256:<digest>`) says where the disk comes from, and the image is `active` once registered.',
      '`container_format` is `bare`, `disk_format` `qcow2` or `raw`; other string members are kept as properties.',
    ].join(' '),
    body: createImageSchema,
    success: { status: 201, description: 'The image.', headers: { Location: 'The image\'s path.' } },
    errors: { 400: 'The body fails validation.', 403: 'The caller is not admin, or the body names a read-only attribute.', 409: 'The id is taken.' },
  },
  'DELETE /image/v2/images/{id}': {
    summary: 'Delete an image',
    tag: 'Image',
    description: 'Admin only. Servers keep the registry reference they were built from.',
    params: { id: 'The image\'s UUID.' },
    success: { status: 204, description: 'Deleted.', contentType: null },
    errors: { 403: 'The caller is not admin, or the image is protected.', 404: 'No such image.' },
  },
};
