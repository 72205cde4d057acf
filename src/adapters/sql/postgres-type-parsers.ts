import pg from 'pg';

/**
 * Per-pool type parsers (pg's global ones are left alone) that return what SQLite returns for the
 * same column, so read models can share SQL and row mapping across dialects.
 */
const INT8 = 20;
const JSON_OID = 114;
const JSONB = 3802;
const TIMESTAMP = 1114;
const TIMESTAMPTZ = 1184;

const identity = (value: string): string => value;

function int8(value: string): number | bigint {
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : BigInt(value);
}

const defaultTimestamptz = pg.types.getTypeParser(TIMESTAMPTZ, 'text') as (value: string) => Date;
const defaultTimestamp = pg.types.getTypeParser(TIMESTAMP, 'text') as (value: string) => Date;

export const postgresTypeParsers: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (format === 'binary') return pg.types.getTypeParser(oid, 'binary');
    switch (oid) {
      case INT8:
        return int8;
      case JSON_OID:
      case JSONB:
        return identity;
      case TIMESTAMPTZ:
        return (value: string) => defaultTimestamptz(value).toISOString();
      case TIMESTAMP:
        return (value: string) => defaultTimestamp(value).toISOString();
      default:
        return pg.types.getTypeParser(oid, 'text');
    }
  }) as pg.CustomTypesConfig['getTypeParser'],
};
