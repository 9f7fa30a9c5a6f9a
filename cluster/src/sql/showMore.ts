// The SHOW forms answered beyond introspection.ts's: jobs, sessions, queries, locality, enums,
// types, sequences, SHOW CREATE of databases, views, sequences and all tables, SHOW RANGE … FOR
// ROW. Called first; undefined leaves the statement to introspection.ts.
import type * as ast from '../../../sql/src/ast';
import { lex } from '../../../sql/src/lexer';
import type { SqlSession } from './context';
import { notSimulated } from './errors';
import { JOB_COLUMNS } from './jobs';
import { rowsResult, type QueryResult } from './result';
import { showJobs, showLocality, showQueries, showSessions } from './showActivity';
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
import { resolveTable } from './tables';

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

export async function introspectMore(session: SqlSession, sql: string, show: ast.Show): Promise<QueryResult | undefined> {
  const target = show.target;
  const trailing = show.trailing ? lex(sql.slice(show.trailing.start - show.start, show.trailing.end - show.start)).tokens : [];
  const words = [...leadingWords(sql, show), ...trailing.filter((t) => t.kind === 'ident').map((t) => t.value)];
  const onlyWords = trailing.every((t) => t.kind === 'ident' || (t.kind === 'punct' && t.value === ';'));
  switch (show.subject) {
    case 'job':
    case 'jobs':
      if (words[0] === 'automatic' || words.includes('schedule') || words.includes('select')) throw notSimulated(sql.toUpperCase());
      return showJobs(session, sql, show);
    case 'automatic':
      // Automatic jobs (statistics, span configs…) are not simulated: there are none to show.
      return sameWords(words, 'automatic', 'jobs') ? rowsResult(sql, JOB_COLUMNS, []) : undefined;
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
