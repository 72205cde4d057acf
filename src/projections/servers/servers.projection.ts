import { StreamRowProjection } from '../stream-row-projection.js';
import { rowToServer, SERVER_COLUMNS, serverToRow, type ServerRow } from './server-row.js';
import { evolveServerView, type ServerView } from './server-view.js';
import { applyUsageDeltas, usageDeltas } from './project-usage.js';

/**
 * The servers read model: one row per VM stream, folded with the same evolveServerView that answers
 * "state at time T", so the two cannot disagree; and each project's usage (project_usage) from the
 * same changes, for the quota check.
 */
export class ServersProjection extends StreamRowProjection<ServerView, ServerRow> {
  constructor() {
    super({
      name: 'servers',
      table: 'servers',
      streamPrefix: 'vm-',
      columns: SERVER_COLUMNS,
      toRow: serverToRow,
      fromRow: rowToServer,
      evolve: evolveServerView,
      derivedTables: ['project_usage'],
      applyChanges: (changes, tx) => applyUsageDeltas(tx, usageDeltas(changes)),
    });
  }
}
