// Bounded staleness reads (with_max_staleness / with_min_timestamp) run only where CockroachDB's
// optimizer can prove they touch one range without an index join: no set operation, no join, one
// table scanned once, constrained to at most one row by equalities on all columns of its primary
// key or of a unique index that covers every column the query needs.
import type { Token } from '../../../sql/src/lexer';
import { quoteIdent } from '../../../sql/src/names';
import type { SqlSession } from './context';
import { SqlError } from './errors';
import { isPunct, isWord, skipGroup } from './rewrite';
import { resolveParts } from './tables';
import type { AsOfClause, TableReference } from './asOfSyntax';

const SET_OPERATIONS = new Set(['union', 'intersect', 'except']);
const JOIN_KINDS = new Set(['inner', 'left', 'right', 'full', 'cross', 'natural']);
const JOIN_HINTS = new Set(['hash', 'merge', 'lookup', 'inverted', 'straight']);
const WHERE_END = new Set(['group', 'order', 'limit', 'offset', 'having', 'window', 'union', 'intersect', 'except', 'for', 'returning']);

function unimplemented(what: string): SqlError {
  return new SqlError('0A000', `unimplemented: cannot use bounded staleness for ${what}`);
}

const MULTI_RANGE = 'queries that may touch more than one range or require an index join';

interface IndexInfo {
  primary: boolean;
  unique: boolean;
  keys: string[];
  included: string[];
}

async function indexesOf(session: SqlSession, relation: string): Promise<{ indexes: IndexInfo[]; columns: string[] }> {
  const engine = session.cluster.engine;
  const indexes = await engine.query<IndexInfo>(
    `SELECT i.indisprimary AS primary, i.indisunique AS unique,
            coalesce((SELECT array_agg(a.attname::text ORDER BY k.ord) FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(attnum, ord)
               JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum WHERE k.ord <= i.indnkeyatts), '{}') AS keys,
            coalesce((SELECT array_agg(a.attname::text) FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(attnum, ord)
               JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum WHERE k.ord > i.indnkeyatts), '{}') AS included
       FROM pg_index i WHERE i.indrelid = to_regclass($1) AND i.indpred IS NULL`,
    [relation],
  );
  const columns = await engine.query<{ name: string }>(
    `SELECT attname::text AS name FROM pg_attribute WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT attisdropped`,
    [relation],
  );
  return { indexes: indexes.rows, columns: columns.rows.map((c) => c.name) };
}

/** The join's name as CockroachDB's error gives it (the hint decides the operator when one is written). */
function joinName(tokens: readonly Token[], at: number): string {
  let hint: string | undefined;
  let kind = 'inner';
  for (let i = at - 1; i >= 0; i--) {
    const t = tokens[i];
    if (t?.kind !== 'ident') break;
    if (JOIN_HINTS.has(t.value)) hint = t.value;
    else if (JOIN_KINDS.has(t.value)) kind = t.value;
    else if (t.value !== 'outer') break;
  }
  if (hint === 'lookup' || hint === 'merge' || hint === 'inverted') return `${hint.toUpperCase()} JOIN`;
  if (hint === 'hash') return `${kind.toUpperCase()} JOIN`;
  // Without a hint, equal primary keys are read in order on both sides: a merge join.
  return 'MERGE JOIN';
}

/** tokens[from, to) without the AS OF SYSTEM TIME clauses. */
function withoutClauses(tokens: readonly Token[], clauses: readonly AsOfClause[], from: number, to: number): Token[] {
  return tokens.slice(from, to).filter((t) => !clauses.some((c) => t.start >= c.start && t.end <= c.end));
}

/** Columns set equal to a constant by the top-level AND-ed terms of a WHERE clause. */
function equalities(terms: readonly Token[]): Set<string> | undefined {
  const columns = new Set<string>();
  let depth = 0;
  let start = 0;
  const conjuncts: Token[][] = [];
  for (let i = 0; i <= terms.length; i++) {
    const t = terms[i];
    if (isPunct(t, '(')) depth++;
    else if (isPunct(t, ')')) depth--;
    if (depth === 0 && isWord(t, 'or')) return new Set();
    if (i === terms.length || (depth === 0 && isWord(t, 'and'))) {
      conjuncts.push(terms.slice(start, i));
      start = i + 1;
    }
  }
  const constant = (ts: readonly Token[]): boolean =>
    ts.length > 0 &&
    ts.every(
      (t) =>
        t.kind === 'number' || t.kind === 'string' || t.kind === 'placeholder' || (t.kind === 'op' && (t.value === '-' || t.value === '+')),
    );
  const column = (ts: readonly Token[]): string | undefined => {
    const last = ts[ts.length - 1];
    if (ts.length === 1 || (ts.length === 3 && isPunct(ts[1], '.')))
      return last?.kind === 'ident' || last?.kind === 'qident' ? last.value : undefined;
    return undefined;
  };
  for (const conjunct of conjuncts) {
    const eq = conjunct.findIndex((t) => t.kind === 'op' && t.value === '=');
    if (eq <= 0) continue;
    const left = conjunct.slice(0, eq);
    const right = conjunct.slice(eq + 1);
    const name = constant(right) ? column(left) : constant(left) ? column(right) : undefined;
    if (name) columns.add(name);
  }
  return columns;
}

/** Refuses a bounded staleness read CockroachDB would refuse, with its message. */
export async function checkBoundedShape(
  session: SqlSession,
  tokens: readonly Token[],
  refs: readonly TableReference[],
  clauses: readonly AsOfClause[],
): Promise<void> {
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t?.kind === 'ident' && SET_OPERATIONS.has(t.value))
      throw unimplemented(`${t.value.toUpperCase()}${isWord(tokens[i + 1], 'all') ? ' ALL' : ''}`);
  }
  const join = tokens.findIndex((t) => isWord(t, 'join'));
  if (join !== -1) throw unimplemented(joinName(tokens, join));
  if (refs.length === 0) return;
  const ref = refs[0];
  if (refs.length > 1 || !ref) throw unimplemented(MULTI_RANGE);
  // The scan's WHERE: after its FROM, at the same depth, up to the next clause.
  let depth = 0;
  let where = -1;
  let end = tokens.length;
  for (let i = ref.after; i < tokens.length; i++) {
    const t = tokens[i];
    if (isPunct(t, '(')) {
      i = skipGroup(tokens, i) - 1;
      continue;
    }
    if (isPunct(t, ')')) {
      depth--;
      if (depth < 0) {
        end = i;
        break;
      }
    }
    if (clauses.some((c) => (t?.start ?? 0) >= c.start && (t?.end ?? 0) <= c.end)) continue;
    // The statement's terminating `;` is not part of its WHERE.
    if (isPunct(t, ';')) {
      end = i;
      break;
    }
    if (where === -1 && isWord(t, 'where')) where = i + 1;
    else if (where !== -1 && t?.kind === 'ident' && WHERE_END.has(t.value)) {
      end = i;
      break;
    }
  }
  const constrained = where === -1 ? new Set<string>() : (equalities(withoutClauses(tokens, clauses, where, end)) ?? new Set<string>());
  const { database, name } = resolveParts(session, ref.parts);
  const { indexes, columns } = await indexesOf(session, `${quoteIdent(database)}.${quoteIdent(name)}`);
  const primary = indexes.find((ix) => ix.primary);
  if (primary && primary.keys.every((k) => constrained.has(k))) return;
  // A unique secondary index: fine when it holds every column the query reads.
  const table = session.cluster.catalog.table(database, name);
  const star = tokens.some(
    (t, i) =>
      t.kind === 'op' && t.value === '*' && (isWord(tokens[i - 1], 'select') || isPunct(tokens[i - 1], ',') || isPunct(tokens[i - 1], '.')),
  );
  const named = new Set(tokens.filter((t) => t.kind === 'ident' || t.kind === 'qident').map((t) => t.value));
  const needed = columns.filter((c) => (star && !table?.hidden.has(c)) || named.has(c));
  for (const index of indexes) {
    if (!index.unique || index.primary || !index.keys.every((k) => constrained.has(k))) continue;
    const held = new Set([...index.keys, ...index.included, ...(primary?.keys ?? [])]);
    if (needed.every((c) => held.has(c))) return;
  }
  throw unimplemented(MULTI_RANGE);
}
