import type { RecordedEvent } from '../../adapters/event-store/event-envelope.js';
import type { SqlExecutor, SqlValue } from '../../adapters/sql/sql-database.js';
import { evolve, type QuotaState } from '../../domain/quota/quota.decider.js';
import type { QuotaEvent } from '../../domain/quota/quota.events.js';
import type { Projection } from '../projection.js';
import { selectWhereIn, upsertRows } from '../sql-batch.js';

const PREFIX = 'quota-';

/** The quotas set per project, folded with the aggregate's own evolve; a reset project's row goes. */
export class ProjectQuotasProjection implements Projection {
  readonly name = 'project-quotas';
  readonly tables = ['project_quotas'];

  async apply(events: RecordedEvent[], tx: SqlExecutor): Promise<void> {
    const mine = events.filter((e) => e.streamId.startsWith(PREFIX));
    if (mine.length === 0) return;
    const ids = [...new Set(mine.map((e) => e.streamId.slice(PREFIX.length)))];
    const states = new Map<string, { state: QuotaState; position: number }>();
    const rows = await selectWhereIn<{ project_id: string; limits: string; position: unknown }>(tx, 'SELECT project_id, limits, position FROM project_quotas', 'project_id', ids);
    for (const row of rows) states.set(row.project_id, { state: JSON.parse(row.limits) as QuotaState, position: Number(row.position) });
    for (const e of mine) {
      const id = e.streamId.slice(PREFIX.length);
      const state = evolve(states.get(id)?.state ?? {}, { type: e.type, data: e.data } as QuotaEvent);
      states.set(id, { state, position: e.position });
    }
    const upserts: SqlValue[][] = [];
    for (const id of ids) {
      const { state, position } = states.get(id)!;
      if (Object.keys(state).length === 0) await tx.run('DELETE FROM project_quotas WHERE project_id = ?', [id]);
      else upserts.push([id, JSON.stringify(sortedKeys(state)), position]);
    }
    await upsertRows(tx, 'project_quotas', ['project_id', 'limits', 'position'], ['project_id'], upserts);
  }

  async reset(tx: SqlExecutor): Promise<void> {
    await tx.run('DELETE FROM project_quotas');
  }
}

function sortedKeys(state: QuotaState): QuotaState {
  return Object.fromEntries(Object.entries(state).sort(([a], [b]) => (a < b ? -1 : 1)));
}
