import { auditQuerySchema, stateAtQuerySchema } from '../../audit/audit-query.schema.js';
import { eventsQuerySchema } from '../../events/events-query.schema.js';
import { jobsQuerySchema } from '../../jobs/jobs-query.schema.js';
import type { Catalogue } from '../operation-doc.js';

const ADMIN = 'Admin only (403 for other roles).';

/** Probes, metrics, jobs and queues, the audit trail, the event stream and this documentation. */
export const operationsCatalogue: Catalogue = {
  'GET /healthz': {
    summary: 'Liveness',
    tag: 'Operations',
    success: { status: 200, description: '`{"status":"ok"}`: the process serves requests.' },
  },
  'GET /readyz': {
    summary: 'Readiness',
    tag: 'Operations',
    description: 'Ready when the event store, the read models and Redis answer and no projection is more than READY_MAX_PROJECTION_LAG events behind.',
    success: { status: 200, description: 'Ready, with each check.' },
    errors: { 503: 'Not ready, with the reasons.' },
  },
  'GET /metrics': {
    summary: 'Prometheus metrics',
    tag: 'Operations',
    description: 'Appends, append latency, projection lag, queue and process metrics.',
    success: { status: 200, description: 'The Prometheus text format.', contentType: 'text/plain' },
  },
  'GET /jobs': {
    summary: 'List saga jobs',
    tag: 'Operations',
    description: `${ADMIN} A server's step jobs: state, attempts, last error, progress. \`state\` may repeat or be comma separated.`,
    query: jobsQuerySchema,
    success: { status: 200, description: 'The jobs.' },
    errors: { 400: 'A bad parameter.', 403: 'The caller is not admin.' },
  },
  'GET /jobs/{id}': {
    summary: 'Show a saga job',
    tag: 'Operations',
    description: ADMIN,
    params: { id: 'The job id.' },
    success: { status: 200, description: 'The job.' },
    errors: { 403: 'The caller is not admin.', 404: 'No such job.' },
  },
  'GET /queues': {
    summary: 'Job queue counts',
    tag: 'Operations',
    description: `${ADMIN} Per queue (cluster, hypervisor, fabric): waiting, active, delayed, completed, failed, paused.`,
    success: { status: 200, description: 'The queues.' },
    errors: { 403: 'The caller is not admin.' },
  },
  'GET /audit/v1': {
    summary: 'Audit API version',
    tag: 'Audit and events',
    success: { status: 200, description: 'The v1 version.' },
  },
  'GET /audit/v1/events': {
    summary: 'Search the audit trail',
    tag: 'Audit and events',
    description: 'Who did what to which server, newest first. A member sees their project, admin all (and may filter by `project_id`). Page with `next_cursor`.',
    query: auditQuerySchema,
    success: { status: 200, description: 'The entries and the cursor of the next (older) page.' },
    errors: { 400: 'A bad parameter or cursor.', 403: '`project_id` of another project without admin.' },
  },
  'GET /audit/v1/servers/{id}/state': {
    summary: 'A server as it was at an instant',
    tag: 'Audit and events',
    description: 'Folded from the server\'s own event stream up to `at`.',
    params: { id: 'The server\'s UUID.' },
    query: stateAtQuerySchema,
    success: { status: 200, description: 'The instant and the server\'s state then.' },
    errors: { 400: 'A bad or missing `at`.', 404: 'No such server (or another project\'s), or it did not exist yet at `at`.' },
  },
  'GET /events': {
    summary: 'Live event stream',
    tag: 'Audit and events',
    description: 'Server-sent events of every new event the caller may see (a member: their project\'s servers; admin: all). Resume with the `Last-Event-ID` header or `after`: the event position.',
    query: eventsQuerySchema,
    headers: [{ name: 'Last-Event-ID', description: 'The position of the last event received: the stream resumes after it.' }],
    success: { status: 200, description: 'An endless text/event-stream.', contentType: 'text/event-stream' },
    errors: { 400: 'A bad position.' },
  },
  'GET /openapi.json': {
    summary: 'This OpenAPI document',
    tag: 'Operations',
    description: 'OpenAPI 3.1, built from the routes the service registers; request schemas are the ones that validate.',
    success: { status: 200, description: 'The document.' },
  },
  'GET /docs': {
    summary: 'Browsable API documentation',
    tag: 'Operations',
    description: 'Swagger UI over `/openapi.json`, served by the service itself (no CDN).',
    success: { status: 200, description: 'The page.', contentType: 'text/html' },
  },
  'GET /docs/assets/{file}': {
    summary: 'The documentation page\'s scripts and styles',
    tag: 'Operations',
    params: { file: 'One of swagger-ui-bundle.js, swagger-ui-standalone-preset.js, swagger-ui.css, docs-init.js, favicon-32x32.png.' },
    success: { status: 200, description: 'The file, with its content type.', contentType: 'application/octet-stream' },
    errors: { 404: 'Not one of the page\'s files.' },
  },
};
