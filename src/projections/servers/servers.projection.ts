import { StreamRowProjection } from '../stream-row-projection.js';
import { rowToServer, SERVER_COLUMNS, serverToRow, type ServerRow } from './server-row.js';
import { evolveServerView, type ServerView } from './server-view.js';

/**
 * The servers read model: one row per VM stream, folded with the same evolveServerView that answers
 * "state at time T", so the two cannot disagree.
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
    });
  }
}
