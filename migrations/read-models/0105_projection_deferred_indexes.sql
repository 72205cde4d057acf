-- Secondary indexes a rebuild dropped to replay faster (src/projections/deferred-indexes.ts), kept
-- until they are recreated, so a rebuild that dies half way does not lose them.
CREATE TABLE IF NOT EXISTS projection_deferred_indexes (
  name TEXT PRIMARY KEY,
  definition TEXT NOT NULL
);
