import { StreamRowProjection } from '../stream-row-projection.js';
import { FLAVOR_COLUMNS, flavorToRow, rowToFlavor, type FlavorRow, type FlavorView } from './flavor-row.js';
import { evolveFlavorView, FLAVOR_STREAM_PREFIX } from './flavor-view.js';

/** The flavor catalogue: one row per flavor stream. */
export class FlavorsProjection extends StreamRowProjection<FlavorView, FlavorRow> {
  constructor() {
    super({
      name: 'flavors',
      table: 'flavors',
      streamPrefix: FLAVOR_STREAM_PREFIX,
      columns: FLAVOR_COLUMNS,
      toRow: flavorToRow,
      fromRow: rowToFlavor,
      evolve: evolveFlavorView,
    });
  }
}
