/** A PostgreSQL schema name that is not a plain identifier; it goes into search_path unquoted. */
export class InvalidSchemaNameError extends Error {
  readonly code = 'INVALID_SCHEMA_NAME';
  constructor(readonly schema: string) {
    super(`Schema name ${JSON.stringify(schema)} must match [A-Za-z_][A-Za-z0-9_]* (at most 63 characters)`);
    this.name = 'InvalidSchemaNameError';
  }
}
