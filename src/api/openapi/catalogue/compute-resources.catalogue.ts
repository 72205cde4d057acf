import { createFlavorSchema, extraSpecsSchema, listFlavorsQuerySchema, oneExtraSpecSchema } from '../../compute/flavors/flavor-requests.schema.js';
import { createSchema as createKeypairSchema, listQuery as listKeypairsQuery, userQuery as keypairUserQuery } from '../../compute/keypairs/keypairs.controller.js';
import { limitsQuery } from '../../compute/limits/limits.controller.js';
import type { Microversion } from '../../compute/microversion.js';
import { MAX_MICROVERSION } from '../../compute/microversion.js';
import { updateSchema as updateQuotaSchema } from '../../compute/quotas/quota-sets.controller.js';
import type { Catalogue } from '../operation-doc.js';

/** The last microversion before a public key became required: the widest key pair create body. */
const KEYPAIR_CREATE_VERSION: Microversion = { major: 2, minor: 91 };

const FLAVOR_ID = { id: 'The flavor id.' };
const PROJECT_ID = { projectId: 'The project id.' };
const ADMIN = 'Admin only.';
const NOT_ADMIN = 'The caller is not admin.';

/** Nova v2.1's catalogue: flavors, key pairs, quotas, limits, hypervisors, availability zones. */
export const computeResourcesCatalogue: Catalogue = {
  'GET /compute/v2.1/flavors': {
    summary: 'List flavors',
    tag: 'Compute: flavors',
    description: 'Private flavors are listed for admin only (`is_public=false` or `none`).',
    query: listFlavorsQuerySchema,
    success: { status: 200, description: 'Id, name, links (and description from 2.55).' },
    errors: { 400: 'A bad parameter or an unknown marker.' },
  },
  'GET /compute/v2.1/flavors/detail': {
    summary: 'List flavors with details',
    tag: 'Compute: flavors',
    description: 'Extra specs in the body from 2.61, including the hotplug headroom `hw:max_vcpus` and `hw:max_ram_mb`.',
    query: listFlavorsQuerySchema,
    success: { status: 200, description: 'The flavors.' },
    errors: { 400: 'A bad parameter or an unknown marker.' },
  },
  'GET /compute/v2.1/flavors/{id}': {
    summary: 'Show a flavor',
    tag: 'Compute: flavors',
    params: FLAVOR_ID,
    success: { status: 200, description: 'The flavor.' },
    errors: { 404: 'No such flavor.' },
  },
  'POST /compute/v2.1/flavors': {
    summary: 'Create a flavor',
    tag: 'Compute: flavors',
    description: [
      `${ADMIN} virtplane's extra keys \`hw:max_vcpus\` and \`hw:max_ram_mb\` set the hotplug headroom (the most a VM`,
      'of the flavor can be hot-resized to without a reboot; default four times the size); they cannot change later.',
      '`description` from 2.55. Sizes may also be strings of digits, as Nova takes them. A deleted flavor\'s id stays taken.',
    ].join(' '),
    body: createFlavorSchema,
    success: { status: 200, description: 'The new flavor.' },
    errors: { 400: 'The body fails validation.', 403: NOT_ADMIN, 409: 'The name or id is taken.' },
  },
  'DELETE /compute/v2.1/flavors/{id}': {
    summary: 'Delete a flavor',
    tag: 'Compute: flavors',
    description: `${ADMIN} Servers keep the snapshot of the flavor they were built with.`,
    params: FLAVOR_ID,
    success: { status: 202, description: 'Deleted.', contentType: null },
    errors: { 403: NOT_ADMIN, 404: 'No such flavor.' },
  },
  'GET /compute/v2.1/flavors/{id}/os-extra_specs': {
    summary: 'A flavor\'s extra specs',
    tag: 'Compute: flavors',
    description: 'Always includes `hw:max_vcpus` and `hw:max_ram_mb`.',
    params: FLAVOR_ID,
    success: { status: 200, description: 'The extra specs.' },
    errors: { 404: 'No such flavor.' },
  },
  'GET /compute/v2.1/flavors/{id}/os-extra_specs/{key}': {
    summary: 'One extra spec of a flavor',
    tag: 'Compute: flavors',
    params: { ...FLAVOR_ID, key: 'The extra spec key.' },
    success: { status: 200, description: '`{"<key>": "<value>"}`.' },
    errors: { 404: 'No such flavor or key.' },
  },
  'POST /compute/v2.1/flavors/{id}/os-extra_specs': {
    summary: 'Set extra specs of a flavor',
    tag: 'Compute: flavors',
    description: `${ADMIN} Values may be strings, numbers or booleans (kept as strings). The headroom specs cannot be set here (400).`,
    params: FLAVOR_ID,
    body: extraSpecsSchema,
    success: { status: 200, description: 'The specs set.' },
    errors: { 400: 'The body fails validation or names a headroom spec.', 403: NOT_ADMIN, 404: 'No such flavor.' },
  },
  'PUT /compute/v2.1/flavors/{id}/os-extra_specs/{key}': {
    summary: 'Set one extra spec of a flavor',
    tag: 'Compute: flavors',
    description: `${ADMIN} The body names the key of the path and nothing else.`,
    params: { ...FLAVOR_ID, key: 'The extra spec key.' },
    body: oneExtraSpecSchema,
    success: { status: 200, description: 'The spec set.' },
    errors: { 400: 'The body fails validation, does not match the path, or names a headroom spec.', 403: NOT_ADMIN, 404: 'No such flavor.' },
  },
  'GET /compute/v2.1/os-keypairs': {
    summary: 'List key pairs',
    tag: 'Compute: key pairs',
    description: 'The caller\'s own; admin may name `user_id` (2.10+). `limit` and `marker` page from 2.35.',
    query: listKeypairsQuery,
    success: { status: 200, description: 'The key pairs (type from 2.2).' },
    errors: { 400: 'A bad parameter or an unknown marker.', 403: '`user_id` of another user without admin.' },
  },
  'GET /compute/v2.1/os-keypairs/{name}': {
    summary: 'Show a key pair',
    tag: 'Compute: key pairs',
    params: { name: 'The key pair\'s name.' },
    query: keypairUserQuery,
    success: { status: 200, description: 'The key pair with its MD5 fingerprint.' },
    errors: { 403: '`user_id` of another user without admin.', 404: 'No such key pair.' },
  },
  'POST /compute/v2.1/os-keypairs': {
    summary: 'Import or generate a key pair',
    tag: 'Compute: key pairs',
    description: [
      'Only `ssh` keys (ssh-rsa, ssh-ed25519, ecdsa-sha2-*; x509 is 400). Without `public_key` an Ed25519 pair is',
      'generated and its private key returned once, never stored. `type` from 2.2, `user_id` (admin) from 2.10;',
      'from 2.92 `public_key` is required. Counts against the key_pairs quota. The schema shown is 2.10 to 2.91\'s.',
    ].join(' '),
    body: createKeypairSchema(KEYPAIR_CREATE_VERSION),
    success: { status: 201, description: 'The key pair (200 before 2.2); `private_key` when generated.' },
    errors: {
      400: 'The body fails validation or the key cannot be parsed.',
      403: 'Quota exceeded, the reader role, or `user_id` of another user without admin.',
      409: 'The user has a key pair of that name.',
    },
  },
  'DELETE /compute/v2.1/os-keypairs/{name}': {
    summary: 'Delete a key pair',
    tag: 'Compute: key pairs',
    params: { name: 'The key pair\'s name.' },
    query: keypairUserQuery,
    success: { status: 204, description: 'Deleted (202 before 2.2).', contentType: null },
    errors: { 403: 'The reader role, or `user_id` of another user without admin.', 404: 'No such key pair.' },
  },
  'GET /compute/v2.1/os-quota-sets/{projectId}': {
    summary: 'A project\'s quotas',
    tag: 'Compute: quotas and limits',
    description: 'The caller\'s project; admin any. Pre-2.57 keys (fixed_ips, floating_ips, ...) before 2.57.',
    params: PROJECT_ID,
    success: { status: 200, description: 'The quota set (-1: unlimited).' },
    errors: { 403: 'Another project without admin.' },
  },
  'GET /compute/v2.1/os-quota-sets/{projectId}/detail': {
    summary: 'A project\'s quotas with usage',
    tag: 'Compute: quotas and limits',
    description: 'limit, in_use and reserved per resource, counted from the servers read model.',
    params: PROJECT_ID,
    success: { status: 200, description: 'The quota set in detail.' },
    errors: { 403: 'Another project without admin.' },
  },
  'GET /compute/v2.1/os-quota-sets/{projectId}/defaults': {
    summary: 'The default quotas',
    tag: 'Compute: quotas and limits',
    description: 'Nova\'s defaults (instances 10, cores 20, ram 51200, ...).',
    params: PROJECT_ID,
    success: { status: 200, description: 'The default quota set.' },
  },
  'PUT /compute/v2.1/os-quota-sets/{projectId}': {
    summary: 'Set a project\'s quotas',
    tag: 'Compute: quotas and limits',
    description: `${ADMIN} Overrides single resources (-1: unlimited). A limit below current usage is 400 unless \`force\`. The schema shown is the latest microversion's; before 2.57 the older keys are accepted too.`,
    params: PROJECT_ID,
    body: updateQuotaSchema(MAX_MICROVERSION),
    success: { status: 200, description: 'The quota set after the change.' },
    errors: { 400: 'The body fails validation, gives no quota, or a limit is below usage.', 403: NOT_ADMIN },
  },
  'DELETE /compute/v2.1/os-quota-sets/{projectId}': {
    summary: 'Reset a project\'s quotas to the defaults',
    tag: 'Compute: quotas and limits',
    description: ADMIN,
    params: PROJECT_ID,
    success: { status: 202, description: 'Reset.', contentType: null },
    errors: { 403: NOT_ADMIN },
  },
  'GET /compute/v2.1/limits': {
    summary: 'Limits and usage',
    tag: 'Compute: quotas and limits',
    description: 'The caller\'s project\'s absolute limits and what its servers use; admin names another with `tenant_id`. No rate limits.',
    query: limitsQuery,
    success: { status: 200, description: 'The limits.' },
    errors: { 400: 'A bad parameter.', 403: '`tenant_id` of another project without admin.' },
  },
  'GET /compute/v2.1/os-hypervisors': {
    summary: 'List hypervisors',
    tag: 'Compute: hypervisors and zones',
    description: `${ADMIN} The cluster's nodes (hypervisor_type QEMU); integer ids before 2.53, UUIDs derived from the node name after.`,
    success: { status: 200, description: 'The hypervisors.' },
    errors: { 403: NOT_ADMIN },
  },
  'GET /compute/v2.1/os-hypervisors/detail': {
    summary: 'List hypervisors with details',
    tag: 'Compute: hypervisors and zones',
    description: `${ADMIN} Capacity and running VMs per node.`,
    success: { status: 200, description: 'The hypervisors.' },
    errors: { 403: NOT_ADMIN },
  },
  'GET /compute/v2.1/os-hypervisors/statistics': {
    summary: 'Hypervisor statistics',
    tag: 'Compute: hypervisors and zones',
    description: `${ADMIN} Removed in 2.88 (404 from then on), as in Nova.`,
    success: { status: 200, description: 'The totals over every node.' },
    errors: { 403: NOT_ADMIN, 404: 'Microversion 2.88 or later.' },
  },
  'GET /compute/v2.1/os-hypervisors/{id}': {
    summary: 'Show a hypervisor',
    tag: 'Compute: hypervisors and zones',
    description: ADMIN,
    params: { id: 'An integer before 2.53, a UUID from 2.53.' },
    success: { status: 200, description: 'The hypervisor.' },
    errors: { 400: 'An id of the wrong form for the microversion.', 403: NOT_ADMIN, 404: 'No such hypervisor.' },
  },
  'GET /compute/v2.1/os-availability-zone': {
    summary: 'List availability zones',
    tag: 'Compute: hypervisors and zones',
    description: 'Every node is in the zone `nova`.',
    success: { status: 200, description: 'The zones and whether they are available.' },
  },
  'GET /compute/v2.1/os-availability-zone/detail': {
    summary: 'List availability zones with their hosts',
    tag: 'Compute: hypervisors and zones',
    description: ADMIN,
    success: { status: 200, description: 'The zones with their hosts and services.' },
    errors: { 403: NOT_ADMIN },
  },
};
