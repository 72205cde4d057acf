import { migrationsQuerySchema } from '../../compute/migrations/migrations.query.schema.js';
import type { Catalogue } from '../operation-doc.js';

const NOT_ADMIN = 'The caller is not admin.';
const IDS = { id: 'The server\'s UUID.', migrationId: 'The migration\'s integer id.' };

/** Nova v2.1's os-migrations and a server's in-progress live migrations (admin). */
export const computeMigrationsCatalogue: Catalogue = {
  'GET /compute/v2.1/os-migrations': {
    summary: 'List migrations',
    tag: 'Compute: migrations',
    description: 'Admin only. Live migrations and cold resizes, newest first, with Nova\'s statuses. Paging and changes-since from 2.59, changes-before from 2.66, user_id and project_id from 2.80 (earlier: 400).',
    query: migrationsQuerySchema,
    success: { status: 200, description: 'The migrations (`migrations_links` when a page is full).' },
    errors: { 400: 'A bad parameter, one newer than the microversion, or an unknown marker.', 403: NOT_ADMIN },
  },
  'GET /compute/v2.1/servers/{id}/migrations': {
    summary: 'A server\'s in-progress live migrations',
    tag: 'Compute: migrations',
    description: 'Admin only; from 2.23 (404 before).',
    params: { id: IDS.id },
    success: { status: 200, description: 'The in-progress live migrations.' },
    errors: { 403: NOT_ADMIN, 404: 'No such server, or a microversion before 2.23.' },
  },
  'GET /compute/v2.1/servers/{id}/migrations/{migrationId}': {
    summary: 'One in-progress live migration of a server',
    tag: 'Compute: migrations',
    description: 'Admin only; from 2.23 (404 before).',
    params: IDS,
    success: { status: 200, description: 'The migration.' },
    errors: { 403: NOT_ADMIN, 404: 'No such server, no such migration of it, or one not in progress; or a microversion before 2.23.' },
  },
  'DELETE /compute/v2.1/servers/{id}/migrations/{migrationId}': {
    summary: 'Abort a live migration',
    tag: 'Compute: migrations',
    description: 'Admin only; from 2.24 (404 before). The server stays on its source node with its IP.',
    params: IDS,
    success: { status: 202, description: 'Accepted: the abort runs in the background.', contentType: null },
    errors: { 400: 'Nova\'s InvalidMigrationState: the migration is not a live migration, or it has ended (completed, failed or cancelled).', 403: NOT_ADMIN, 404: 'No such server or migration of it; or a microversion before 2.24.' },
  },
};
