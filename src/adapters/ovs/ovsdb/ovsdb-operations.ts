import type { OvsdbRow, OvsdbValue, Uuid } from './ovsdb-encoding.js';

/** RFC 7047 section 5.1 conditions and mutations. */
export type Condition = [column: string, fn: '==' | '!=' | 'includes' | 'excludes' | '<' | '<=' | '>' | '>=', value: OvsdbValue];
export type Mutation = [column: string, mutator: 'insert' | 'delete' | '+=' | '-=' | '*=' | '/=' | '%=', value: OvsdbValue];

/**
 * `mustMatch` (ours, never sent; default true) says an update, mutate or delete that matches no row
 * is a failure: the client guards it with a `wait` that aborts the whole transaction when nothing
 * matches, so a change that should have touched a row never commits half done.
 */
type Guarded = { mustMatch?: boolean };

export type Operation =
  | { op: 'insert'; table: string; row: OvsdbRow; 'uuid-name'?: string }
  | { op: 'select'; table: string; where: Condition[]; columns?: string[] }
  | ({ op: 'update'; table: string; where: Condition[]; row: OvsdbRow } & Guarded)
  | ({ op: 'mutate'; table: string; where: Condition[]; mutations: Mutation[] } & Guarded)
  | ({ op: 'delete'; table: string; where: Condition[] } & Guarded)
  | { op: 'wait'; table: string; where: Condition[]; columns: string[]; until: '==' | '!='; rows: OvsdbRow[]; timeout?: number }
  | { op: 'comment'; comment: string }
  | { op: 'assert'; lock: string };

export interface OperationResult {
  uuid?: Uuid;
  rows?: OvsdbRow[];
  count?: number;
  error?: string;
  details?: string;
}

/** `wait` with timeout 0: the transaction aborts unless the rows matching `where` are (or are not) `rows`. */
export function assertRows(table: string, where: Condition[], columns: string[], until: '==' | '!=', rows: OvsdbRow[]): Operation {
  return { op: 'wait', table, where, columns, until, rows, timeout: 0 };
}

/** Aborts the transaction when a row matching `where` exists (an insert guard without a unique index). */
export const assertNoRow = (table: string, where: Condition[]): Operation => assertRows(table, where, ['_uuid'], '==', []);

/** Aborts the transaction unless some row matches `where`. */
export const assertSomeRow = (table: string, where: Condition[]): Operation => assertRows(table, where, ['_uuid'], '!=', []);
