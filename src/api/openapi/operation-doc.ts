import type { z } from 'zod';

/** The tags the page groups operations under, in the order it shows them. */
export const TAGS = {
  'Version discovery': 'Version documents of each API (no token).',
  Identity: 'Keystone v3 subset: password and token authentication, the caller\'s projects and service catalog.',
  'Compute: servers': 'Nova v2.1 servers: create, list, show, rename, delete.',
  'Compute: server actions': 'Nova v2.1 `POST /servers/{id}/action`: one action per request.',
  'Compute: migrations': 'Nova v2.1 os-migrations and a server\'s live migrations (admin): list, show, abort.',
  'Compute: instance actions': 'Nova v2.1 os-instance-actions: what was done to a server, by whom, with which request id.',
  'Compute: flavors': 'Nova v2.1 flavors and their extra specs (hotplug headroom: hw:max_vcpus, hw:max_ram_mb).',
  'Compute: key pairs': 'Nova v2.1 key pairs, per user.',
  'Compute: quotas and limits': 'Nova v2.1 os-quota-sets and limits.',
  'Compute: hypervisors and zones': 'Nova v2.1 os-hypervisors and os-availability-zone: the cluster\'s nodes (admin).',
  Network: 'Neutron v2.0 subset: networks, subnets (IPv4/IPv6 dual stack, the IPAM), ports (fixed IPs, MAC, binding), IP availability, quotas.',
  Image: 'Glance v2 subset: container-registry disk images (virtplane_registry_ref).',
  'Audit and events': 'The audit trail (who did what, the server at an instant) and the live event stream.',
  Operations: 'Probes, metrics, saga jobs and queues (admin), and this documentation.',
} as const;

export type Tag = keyof typeof TAGS;

/** Statuses an operation may answer with besides its success. */
export type ErrorStatus = 400 | 401 | 403 | 404 | 405 | 406 | 409 | 413 | 415 | 500 | 501 | 503;

export interface HeaderDoc {
  readonly name: string;
  readonly description: string;
  readonly required?: boolean;
}

/** What the document says about one route (`METHOD /path`); the route itself comes from Nest. */
export interface OperationDoc {
  readonly summary: string;
  readonly tag: Tag;
  /** Markdown: admin-only, microversion notes, what virtplane does differently from OpenStack. */
  readonly description?: string;
  /** The zod schema the handler validates the body with: the documented schema is the validating one. */
  readonly body?: z.ZodType;
  /** The zod schema the handler validates the query string with (an object schema). */
  readonly query?: z.ZodType;
  /** Path parameters' meanings; every `{name}` of the path is documented, described or not. */
  readonly params?: Readonly<Record<string, string>>;
  /** Request headers the operation reads (besides X-Auth-Token and the compute headers). */
  readonly headers?: readonly HeaderDoc[];
  readonly success: {
    readonly status: number;
    readonly description: string;
    /** Default application/json; `null` for no body (204, 202 of an action). */
    readonly contentType?: string | null;
    /** Response headers that matter to the client (the token of a login, the Location of a create). */
    readonly headers?: Readonly<Record<string, string>>;
  };
  /** Each error status it can answer, with why. 401 is added for every route that needs a token. */
  readonly errors?: Readonly<Partial<Record<ErrorStatus, string>>>;
}

/** Operation docs by route key (`GET /compute/v2.1/servers/{id}`). */
export type Catalogue = Readonly<Record<string, OperationDoc>>;
