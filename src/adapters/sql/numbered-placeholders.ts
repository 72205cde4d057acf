/**
 * Rewrites `?` placeholders as PostgreSQL's `$1, $2, ...`, leaving `?` inside string literals,
 * quoted identifiers, dollar-quoted bodies and comments alone. Results are cached by SQL text
 * because the same few statements run many times.
 */
const cache = new Map<string, string>();
const CACHE_LIMIT = 2000;

export function numberPlaceholders(sql: string): string {
  const cached = cache.get(sql);
  if (cached !== undefined) return cached;
  const numbered = rewrite(sql);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(sql, numbered);
  return numbered;
}

function rewrite(sql: string): string {
  if (!sql.includes('?')) return sql;
  let out = '';
  let n = 0;
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    const next = sql[i + 1];
    let end = i + 1;
    if (c === "'" || c === '"') end = closing(sql, i + 1, c);
    else if (c === '-' && next === '-') end = lineEnd(sql, i);
    else if (c === '/' && next === '*') end = blockEnd(sql, i);
    else if (c === '$') end = dollarEnd(sql, i);
    else if (c === '?') {
      out += `$${++n}`;
      i += 1;
      continue;
    }
    out += sql.slice(i, end);
    i = end;
  }
  return out;
}

function closing(sql: string, from: number, quote: string): number {
  let i = from;
  while (i < sql.length) {
    if (sql[i] === quote) {
      // A doubled quote is an escaped quote, not the end.
      if (sql[i + 1] === quote) i += 2;
      else return i + 1;
    } else i += 1;
  }
  return sql.length;
}

function lineEnd(sql: string, from: number): number {
  const end = sql.indexOf('\n', from);
  return end === -1 ? sql.length : end + 1;
}

function blockEnd(sql: string, from: number): number {
  const end = sql.indexOf('*/', from + 2);
  return end === -1 ? sql.length : end + 2;
}

function dollarEnd(sql: string, from: number): number {
  const tag = /^\$[A-Za-z_]?[A-Za-z0-9_]*\$/.exec(sql.slice(from));
  // `$1` style parameters and lone dollars are not quotes.
  if (!tag || /^\$\d/.test(tag[0])) return from + 1;
  const end = sql.indexOf(tag[0], from + tag[0].length);
  return end === -1 ? sql.length : end + tag[0].length;
}
