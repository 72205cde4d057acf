import { createHash } from 'node:crypto';
import type { ServerView } from '../../projections/servers/server-view.js';
import { isAtLeast, type Microversion } from './microversion.js';
import { isoMicros, isoSeconds } from './nova-time.js';

/** Where links point: the public URL of the service (no trailing slash). */
export interface LinkBase {
  base: string;
}

/** Nova's self and bookmark links for a resource of the compute API. */
export function resourceLinks(base: string, collection: string, id: string) {
  return [
    { rel: 'self', href: `${base}/compute/v2.1/${collection}/${encodeURIComponent(id)}` },
    { rel: 'bookmark', href: `${base}/compute/${collection}/${encodeURIComponent(id)}` },
  ];
}

/** Nova's hostId: sha224(project_id + host), '' while the server has no host. */
export function hostId(projectId: string, host: string | null): string {
  return host ? createHash('sha224').update(projectId + host).digest('hex') : '';
}

/** Statuses under which Nova shows `progress`, and those under which it shows `fault`. */
const PROGRESS_STATUSES = new Set(['ACTIVE', 'BUILD', 'REBUILD', 'RESIZE', 'VERIFY_RESIZE', 'MIGRATING']);
const FAULT_STATUSES = new Set(['ERROR', 'DELETED']);

export interface ServerJsonOptions {
  version: Microversion;
  /** The caller holds admin: OS-EXT-SRV-ATTR:* and host_status (Nova's default policy). */
  admin: boolean;
  /**
   * false renders what Nova's PUT answered before 2.75: the base keys only, without the extended
   * attributes, status, AZ, config drive, key name, usage and volumes.
   */
  extended?: boolean;
  /** server_groups (2.71+) is in show, PUT and rebuild answers, not in lists. */
  serverGroups?: boolean;
}

/** Nova's flavor key: {id, links} before 2.47, the embedded copy the server booted with from 2.47. */
function flavorJson(s: ServerView, base: string, version: Microversion) {
  const f = s.flavor;
  if (!isAtLeast(version, '2.47')) {
    return { id: f.id, links: [{ rel: 'bookmark', href: `${base}/compute/flavors/${encodeURIComponent(f.id)}` }] };
  }
  return {
    vcpus: f.vcpus,
    ram: f.ramMb,
    disk: f.diskGb,
    ephemeral: f.ephemeralGb,
    swap: f.swapMb,
    original_name: f.name,
    extra_specs: { ...f.extraSpecs },
  };
}

function imageJson(s: ServerView, base: string) {
  if (!s.imageRef) return '';
  return { id: s.imageRef, links: [{ rel: 'bookmark', href: `${base}/compute/images/${encodeURIComponent(s.imageRef)}` }] };
}

/** Nova's hostname: the display name made DNS-safe (nova.utils.sanitize_hostname). */
export function sanitizeHostname(name: string): string {
  const h = name
    .normalize('NFKD')
    .replace(/[^\x00-\x7f]/g, '')
    .toLowerCase()
    .replace(/[ _.]/g, '-')
    .replace(/[^a-z0-9-]/g, '')
    .slice(0, 63)
    .replace(/^[-.]+|[-.]+$/g, '');
  return h || 'server';
}

/** A server as Nova's detail view shows it at the request's microversion (key for key). */
export function serverJson(s: ServerView, { base }: LinkBase, options: ServerJsonOptions): Record<string, unknown> {
  const { version, admin } = options;
  const extended = options.extended ?? true;
  const server: Record<string, unknown> = {
    id: s.id,
    name: s.name,
    status: s.status,
    tenant_id: s.projectId,
    user_id: s.userId,
    metadata: { ...s.metadata },
    hostId: hostId(s.projectId, s.host),
    image: imageJson(s, base),
    flavor: flavorJson(s, base, version),
    created: isoSeconds(s.created),
    updated: isoSeconds(s.updated),
    addresses: novaAddresses(s.addresses),
    accessIPv4: '',
    accessIPv6: '',
    links: resourceLinks(base, 'servers', s.id),
    'OS-DCF:diskConfig': 'MANUAL',
  };
  if (FAULT_STATUSES.has(s.status) && s.fault) {
    server.fault = {
      code: s.fault.code,
      created: isoSeconds(s.fault.created),
      message: s.fault.message,
      // Nova shows the details to admins always, to others only for codes other than 500.
      ...(admin || s.fault.code !== 500 ? { details: s.fault.details ?? '' } : {}),
    };
  }
  if (PROGRESS_STATUSES.has(s.status)) server.progress = s.progress;

  if (extended) {
    server['OS-EXT-AZ:availability_zone'] = s.availabilityZone ?? (s.host ? 'nova' : '');
    if (isAtLeast(version, '2.96')) server.pinned_availability_zone = s.availabilityZone;
    server.config_drive = '';
    server.key_name = s.keyName;
    server['OS-SRV-USG:launched_at'] = isoMicros(s.launchedAt);
    server['OS-SRV-USG:terminated_at'] = isoMicros(s.terminatedAt);
    if (admin) {
      server['OS-EXT-SRV-ATTR:host'] = s.host;
      server['OS-EXT-SRV-ATTR:instance_name'] = `instance-${s.id}`;
      server['OS-EXT-SRV-ATTR:hypervisor_hostname'] = s.host;
      if (isAtLeast(version, '2.3')) {
        server['OS-EXT-SRV-ATTR:reservation_id'] = `r-${s.id.replace(/-/g, '').slice(0, 8)}`;
        server['OS-EXT-SRV-ATTR:launch_index'] = 0;
        server['OS-EXT-SRV-ATTR:hostname'] = sanitizeHostname(s.name);
        server['OS-EXT-SRV-ATTR:kernel_id'] = '';
        server['OS-EXT-SRV-ATTR:ramdisk_id'] = '';
        server['OS-EXT-SRV-ATTR:root_device_name'] = null;
        // User data is never stored (only its hash), so it cannot be shown back.
        server['OS-EXT-SRV-ATTR:user_data'] = null;
      }
    }
    server['OS-EXT-STS:task_state'] = s.taskState;
    server['OS-EXT-STS:vm_state'] = s.vmState;
    server['OS-EXT-STS:power_state'] = s.powerState;
    server['os-extended-volumes:volumes_attached'] = [];
    if (isAtLeast(version, '2.16') && admin) server.host_status = s.host ? 'UP' : '';
  }
  if (isAtLeast(version, '2.9')) server.locked = s.locked;
  if (isAtLeast(version, '2.73')) server.locked_reason = s.lockedReason;
  if (isAtLeast(version, '2.19')) server.description = null;
  if (isAtLeast(version, '2.26')) server.tags = [];
  if (isAtLeast(version, '2.63')) server.trusted_image_certificates = null;
  if (isAtLeast(version, '2.90') && !(extended && admin)) server['OS-EXT-SRV-ATTR:hostname'] = sanitizeHostname(s.name);
  if (options.serverGroups && isAtLeast(version, '2.71')) server.server_groups = [];
  return server;
}

/** The short list entry: id, name, links. */
export function serverSummaryJson(s: ServerView, { base }: LinkBase) {
  return { id: s.id, name: s.name, links: resourceLinks(base, 'servers', s.id) };
}

/** The read model keeps each address's port id (so a detach removes its own); Nova's body has none. */
function novaAddresses(addresses: Record<string, unknown[]>): Record<string, unknown[]> {
  return Object.fromEntries(
    Object.entries(addresses).map(([network, entries]) => [
      network,
      entries.map((entry) => {
        const { port_id: _portId, ...rest } = entry as Record<string, unknown>;
        return rest;
      }),
    ]),
  );
}
