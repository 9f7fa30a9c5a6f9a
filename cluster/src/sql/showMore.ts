// The SHOW forms answered beyond introspection.ts's: jobs, sessions, queries, locality, enums,
// types, sequences, SHOW CREATE of databases, views, sequences and all tables, SHOW RANGE … FOR
// ROW. Called first; undefined leaves the statement to introspection.ts.
import type * as ast from '../../../sql/src/ast';
import { lex, type Token } from '../../../sql/src/lexer';
import type { SqlSession } from './context';
import { notSimulated, SqlError } from './errors';
import { automaticJobs, JOB_COLUMNS, jobRow } from './jobs';
import { rowsResult, type QueryResult } from './result';
import { showJobs, showJobsWithIds, showLocality, showQueries, showSessions, visibleJobs } from './showActivity';
import {
  showCreateAllTables,
  showCreateDatabase,
  showCreateRelation,
  showCreateSequence,
  showCreateView,
  showEnums,
  showSequences,
  showTypes,
} from './showCatalog';
import { rowExpressions, showRangeForRow } from './showRangeForRow';
import { isPunct, isWord } from './rewrite';
import { expandStatementSources } from './statementSources';
import { resolveTable } from './tables';
import { rewriteGeneral } from './translate';

/** The statement's words after SHOW, lower-cased (identifiers only, up to the first other token). */
function leadingWords(sql: string, show: ast.Show): string[] {
  const words: string[] = [];
  for (const token of lex(sql.slice(0, show.end - show.start)).tokens.slice(1)) {
    if (token.kind !== 'ident') break;
    words.push(token.value);
  }
  return words;
}

function sameWords(words: readonly string[], ...expected: string[]): boolean {
  return words.length === expected.length && words.every((w, i) => w === expected[i]);
}

/** SHOW JOBS [WHEN COMPLETE] (SELECT …) / SHOW JOBS SELECT …: the query's text, if that is the form. */
function jobsQuery(trailing: readonly Token[], sql: string, show: ast.Show): string | undefined {
  let at = 0;
  if (isWord(trailing[0], 'when') && isWord(trailing[1], 'complete')) at = 2;
  const first = trailing[at];
  const last = [...trailing].reverse().find((t) => !isPunct(t, ';'));
  if (!first || !last || !(isPunct(first, '(') || isWord(first, 'select', 'with', 'values', 'table'))) return undefined;
  const offset = (show.trailing?.start ?? show.start) - show.start;
  return sql.slice(offset + first.start, offset + last.end);
}

/** The first column of what a query selects (the job IDs a SHOW JOBS names), run on the engine as the session. */
async function selectedIds(session: SqlSession, sql: string, query: string): Promise<Set<string>> {
  const expanded = await expandStatementSources(session, query, lex(query).tokens, () => {
    throw notSimulated('a [statement] source inside SHOW JOBS');
  });
  const translated = rewriteGeneral(expanded ?? query, { database: session.database });
  const result = await session.runEngine(sql, translated.sql, []);
  if (result.error) throw new SqlError(result.error.code, result.error.message, result.error.hint, result.error.detail);
  return new Set(result.rows.map((row) => row[0]).filter((id): id is string => id !== null && id !== undefined));
}

export async function introspectMore(session: SqlSession, sql: string, show: ast.Show): Promise<QueryResult | undefined> {
  const target = show.target;
  const trailing = show.trailing ? lex(sql.slice(show.trailing.start - show.start, show.trailing.end - show.start)).tokens : [];
  const words = [...leadingWords(sql, show), ...trailing.filter((t) => t.kind === 'ident').map((t) => t.value)];
  const onlyWords = trailing.every((t) => t.kind === 'ident' || (t.kind === 'punct' && t.value === ';'));
  switch (show.subject) {
    case 'job':
    case 'jobs': {
      if (words.includes('schedule') || words.includes('schedules')) throw notSimulated(sql.toUpperCase());
      const query = jobsQuery(trailing, sql, show);
      return query === undefined ? showJobs(session, sql, show) : showJobsWithIds(session, sql, await selectedIds(session, sql, query));
    }
    case 'automatic':
      // The automatic statistics collections (statistics.ts) are the automatic jobs simulated.
      return sameWords(words, 'automatic', 'jobs')
        ? rowsResult(sql, JOB_COLUMNS, (await visibleJobs(session, automaticJobs(session.cluster))).map(jobRow))
        : undefined;
    case 'sessions':
    case 'cluster sessions':
      return onlyWords && !target ? showSessions(session, sql, show.subject !== 'sessions') : undefined;
    case 'queries':
    case 'statements':
    case 'cluster queries':
      return onlyWords && !target ? showQueries(session, sql) : undefined;
    case 'cluster':
    case 'local':
      if (!onlyWords || target) return undefined;
      if (sameWords(words.slice(1), 'sessions')) return showSessions(session, sql, show.subject === 'cluster');
      if (sameWords(words.slice(1), 'queries') || sameWords(words.slice(1), 'statements')) return showQueries(session, sql);
      return undefined;
    case 'locality':
      return show.variable ? showLocality(session, sql) : undefined;
    case 'enums':
      if (show.trailing) return undefined;
      return showEnums(session, sql, target?.kind === 'database' || target?.kind === 'object' ? target.name?.parts[0]?.value : undefined);
    case 'types':
      return show.variable ? showTypes(session, sql) : undefined;
    case 'sequences':
      if (show.trailing) return undefined;
      return showSequences(
        session,
        sql,
        target?.kind === 'database' || target?.kind === 'object' ? target.name?.parts[0]?.value : undefined,
      );
    case 'range': {
      const expressions = rowExpressions(sql, show);
      return expressions && (target?.kind === 'table' || target?.kind === 'index')
        ? showRangeForRow(session, sql, show, expressions)
        : undefined;
    }
    case 'create':
      if (show.trailing) return undefined;
      if (show.objectKind === 'all tables') return showCreateAllTables(session, sql);
      if (show.objectKind === 'database') return showCreateDatabase(session, sql, target?.name?.parts[0]?.value);
      if (show.objectKind === 'view' || show.objectKind === 'materialized') return showCreateView(session, sql, target?.name);
      if (show.objectKind === 'sequence') return showCreateSequence(session, sql, target?.name);
      // SHOW CREATE [TABLE] of a view or sequence shows it as what it is.
      if (show.objectKind === 'table' && target?.name && !target.index && !resolveTable(session, target.name))
        return showCreateRelation(session, sql, target.name);
      return undefined;
    default:
      return undefined;
  }
}
