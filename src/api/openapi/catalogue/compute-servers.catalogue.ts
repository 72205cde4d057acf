import { z } from 'zod';
import { createServerFields, createServerSchema } from '../../compute/schemas/create-server.schema.js';
import { listInstanceActionsQuerySchema } from '../../compute/schemas/list-instance-actions.query.schema.js';
import { listServersQuerySchema } from '../../compute/schemas/list-servers.query.schema.js';
import { hotResizeActionSchema, migrateLiveActionSchema, resizeActionSchema } from '../../compute/schemas/live-change-actions.schema.js';
import { MAX_MICROVERSION } from '../../compute/microversion.js';
import { lockActionSchema } from '../../compute/schemas/lock-action.schema.js';
import { rebootActionSchema } from '../../compute/schemas/reboot-action.schema.js';
import { updateServerSchema } from '../../compute/schemas/update-server.schema.js';
import type { Catalogue } from '../operation-doc.js';

/** The handler checks the outer body, then the `server` object: the document shows both at once. */
export const createServerBody = createServerSchema.extend({ server: createServerFields });

/** An action whose value must be null (or `{}`, which Nova's clients also send). */
const noArgument = z.union([z.null(), z.strictObject({})]);

/** One member per action the handler runs, each with the schema it validates the value with. */
export const serverActionBody = z.union([
  z.strictObject({ 'os-start': noArgument }).describe('Start a stopped server.'),
  z.strictObject({ 'os-stop': noArgument }).describe('Stop (power off) a server.'),
  z.strictObject({ reboot: rebootActionSchema }).describe('Reboot, SOFT or HARD.'),
  z.strictObject({ pause: noArgument }).describe('Pause a running server.'),
  z.strictObject({ unpause: noArgument }).describe('Unpause a paused server.'),
  z.strictObject({ lock: lockActionSchema.nullable() }).describe('Lock; locked_reason from 2.73.'),
  z.strictObject({ unlock: noArgument }).describe('Unlock.'),
  z
    .strictObject({ 'os-hotResize': hotResizeActionSchema })
    .describe("virtplane's own: change a running server's vCPUs and/or RAM (MB) without a reboot, up to its flavor's hw:max_vcpus / hw:max_ram_mb."),
  z.strictObject({ resize: resizeActionSchema }).describe('Cold resize to another flavor (the server goes to VERIFY_RESIZE).'),
  z.strictObject({ confirmResize: noArgument }).describe('Confirm a resize in VERIFY_RESIZE (answers 204).'),
  z.strictObject({ revertResize: noArgument }).describe('Revert a resize in VERIFY_RESIZE to the old flavor.'),
  z
    .strictObject({ 'os-migrateLive': migrateLiveActionSchema(MAX_MICROVERSION) })
    .describe('Admin: live migration keeping the IP; host null lets the scheduler choose. The body shown is the latest microversion\'s.'),
]);

const SERVER_ID = { id: 'The server\'s UUID.' };
const OTHER_PROJECT = 'A server of another project is 404, as Nova answers.';

/** Nova v2.1 version documents, servers, server actions, instance actions. */
export const computeServersCatalogue: Catalogue = {
  'GET /compute': {
    summary: 'Compute API versions',
    tag: 'Version discovery',
    description: 'Nova\'s version list (v2.0 and v2.1 with its microversion range); also at `/compute/`.',
    success: { status: 200, description: 'The versions.' },
  },
  'GET /compute/v2.1': {
    summary: 'Compute v2.1 version document',
    tag: 'Version discovery',
    description: 'Microversions 2.1 to 2.96 (`latest`). Also at `/compute/v2.1/`.',
    success: { status: 200, description: 'The v2.1 version with min_version and version.' },
  },
  'GET /compute/v2': {
    summary: 'Compute v2.0 version document',
    tag: 'Version discovery',
    description: 'Also at `/compute/v2/`.',
    success: { status: 200, description: 'The v2.0 version.' },
  },
  'POST /compute/v2.1/servers': {
    summary: 'Create a server',
    tag: 'Compute: servers',
    description: [
      'Checks the project\'s quota (instances, cores, RAM), snapshots the flavor and the image\'s registry reference;',
      '`imageRef` may be a Glance image id or a `docker://` reference itself. One server per request (min_count and',
      'max_count 1); no boot from volume (`imageRef` is required); `networks` is required from 2.37; `description`',
      'exists from 2.19 but is refused. Nova fields this cloud cannot honour (adminPass, block_device_mapping_v2,',
      'personality, tags, ...) are 400, never ignored. User data is never stored, only its SHA-256.',
      'A retry with the same X-OpenStack-Request-Id answers the first reply and makes no second server (nor second ports).',
      '`networks`: "none" (no port), "auto" (a port on the project\'s only network, own or shared; 409 when there are several,',
      '400 when there is none), or a list of `{uuid}` / `{uuid, fixed_ip}` (a port made on that network, deleted with the server)',
      'and `{port}` (an unbound port of the project, bound to the server and unbound again when it is deleted); absent before',
      '2.37: the only network if there is one, else none. One port per network. The create task binds the ports, makes the VM',
      'with them as Multus interfaces carrying their Kube-OVN address and MAC, and confirms them once it runs; a failed build',
      'deletes the ports it made and frees the given ones.',
    ].join(' '),
    body: createServerBody,
    success: {
      status: 202,
      description: 'Accepted: the server\'s id, links and a one-time adminPass. The build goes on in the background (poll the server until ACTIVE).',
      headers: { Location: 'The server\'s URL.' },
    },
    errors: {
      400: 'The body fails validation, names an unsupported field, an unknown flavor or image, or asks for more than one server; a network or port that is not found (or another project\'s), an invalid or taken fixed IP, a network given twice, or "auto" with no network.',
      403: 'Quota exceeded (instances, cores, RAM, or Neutron ports: "Maximum number of ports exceeded"), or the caller has only the reader role.',
      409: 'A given port is in use, or "auto" finds several networks.',
    },
  },
  'GET /compute/v2.1/servers': {
    summary: 'List servers',
    tag: 'Compute: servers',
    description: 'Id, name and links. Admin: `all_tenants`, `project_id`; `user_id` for everyone from 2.83. Nova\'s other filters are 400 (never silently ignored); unknown parameters are ignored before 2.75 and 400 from it. Pages of at most 1000 with `servers_links`.',
    query: listServersQuerySchema,
    success: { status: 200, description: 'The servers, newest first.' },
    errors: { 400: 'An unsupported filter, a bad limit or an unknown marker.', 403: '`all_tenants` or `status=DELETED` without admin.' },
  },
  'GET /compute/v2.1/servers/detail': {
    summary: 'List servers with details',
    tag: 'Compute: servers',
    description: 'As `GET /servers`, with each server\'s whole body at the requested microversion.',
    query: listServersQuerySchema,
    success: { status: 200, description: 'The servers, newest first.' },
    errors: { 400: 'An unsupported filter, a bad limit or an unknown marker.', 403: '`all_tenants` or `status=DELETED` without admin.' },
  },
  'GET /compute/v2.1/servers/{id}': {
    summary: 'Show a server',
    tag: 'Compute: servers',
    description: `Key for key as Nova at the requested microversion. ${OTHER_PROJECT}`,
    params: SERVER_ID,
    success: { status: 200, description: 'The server.' },
    errors: { 404: 'No such server.' },
  },
  'PUT /compute/v2.1/servers/{id}': {
    summary: 'Rename a server',
    tag: 'Compute: servers',
    description: 'Only `name` can change here (description, access IPs, disk config and hostname are 400). Before 2.75 the reply has the base keys only.',
    params: SERVER_ID,
    body: updateServerSchema,
    success: { status: 200, description: 'The server after the change.' },
    errors: { 400: 'The body fails validation or names a field this cloud does not update.', 403: 'The caller has only the reader role.', 404: 'No such server.' },
  },
  'DELETE /compute/v2.1/servers/{id}': {
    summary: 'Delete a server',
    tag: 'Compute: servers',
    description: 'Answers once the deletion settles (bounded at 2 s), so a client does not poll a server already on its way out.',
    params: SERVER_ID,
    success: { status: 204, description: 'Deleted (or being deleted).', contentType: null },
    errors: { 403: 'The caller has only the reader role.', 404: 'No such server.', 409: 'The server is locked (by its owner or, for a non-admin, by an admin) or busy with another task.' },
  },
  'POST /compute/v2.1/servers/{id}/action': {
    summary: 'Run a server action',
    tag: 'Compute: server actions',
    description: [
      'The body names exactly one action. Runs `os-start`, `os-stop`, `reboot`, `pause`, `unpause`, `lock`',
      '(`locked_reason` from 2.73; an admin\'s lock needs an admin to lift), `unlock`, `resize`, `confirmResize`',
      '(204), `revertResize`, `os-migrateLive` (admin; Nova\'s body per microversion: disk_over_commit before 2.25,',
      'force from 2.30 to 2.67; block_migration is accepted and ignored) and virtplane\'s own `os-hotResize`',
      '(`{"os-hotResize": {"vcpus": 4, "ram": 8192}}`: vCPUs and memory of a running server change with no reboot,',
      'within the flavor\'s hotplug headroom: in place by default, or by KubeVirt\'s live update (a migration) where',
      'the deployment chooses it; memory only grows, vCPUs also shrink in place). Nova\'s other actions (migrate,',
      'rebuild, shelve, ...) answer 501 naming the action until they are built. A locked server refuses every',
      'action but lock and unlock to non-admins.',
    ].join(' '),
    params: SERVER_ID,
    body: serverActionBody,
    success: { status: 202, description: 'Accepted; the task runs in the background (see os-instance-actions and /events). confirmResize answers 204.', contentType: null },
    errors: {
      400: 'No such action, more than one, or a bad argument (an unknown flavor for resize, an unknown or full host for os-migrateLive).',
      403: 'The caller has only the reader role, an admin\'s lock (for unlock), or os-migrateLive without admin.',
      404: 'No such server.',
      409: 'The server\'s state does not allow the action ("Cannot \'stop\' instance <id> while it is in vm_state stopped"), or it is locked.',
      501: 'An action Nova has that this cloud does not run yet.',
    },
  },
  'GET /compute/v2.1/servers/{id}/os-instance-actions': {
    summary: 'List a server\'s actions',
    tag: 'Compute: instance actions',
    description: 'Newest first; also for a deleted server. Paging and changes-since from 2.58, changes-before from 2.66 (earlier the parameters are ignored).',
    params: SERVER_ID,
    query: listInstanceActionsQuerySchema,
    success: { status: 200, description: 'The instance actions.' },
    errors: { 400: 'A bad parameter or an unknown marker.', 404: 'No such server.' },
  },
  'GET /compute/v2.1/servers/{id}/os-instance-actions/{requestId}': {
    summary: 'Show one action of a server',
    tag: 'Compute: instance actions',
    description: 'With its events for admins, and for everyone from 2.51.',
    params: { ...SERVER_ID, requestId: 'The request id (`req-<uuid>`) the action was made with.' },
    success: { status: 200, description: 'The instance action.' },
    errors: { 404: 'No such server, or no action with that request id.' },
  },
};
