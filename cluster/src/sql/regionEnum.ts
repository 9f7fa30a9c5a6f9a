// A multi-region database's crdb_internal_region enum belongs to the database: CockroachDB
// refuses DROP TYPE and ALTER TYPE on it (regions change with ALTER DATABASE … ADD / DROP
// REGION). In the engine it is a domain that DROP / ALTER TYPE would otherwise reach.
import type * as ast from '../../../sql/src/ast';
import type { Token } from '../../../sql/src/lexer';
import { SqlError } from './errors';
import type { SqlSession } from './context';
import { REGION_TYPE } from './regionalByRow';
import { isPunct, isWord } from './rewrite';
import { resolveParts } from './tables';

const DEPENDENT_OBJECTS_STILL_EXIST = '2BP01';
const WRONG_OBJECT_TYPE = '42809';

/** Throws CockroachDB's error when `statement` would drop or alter a multi-region database's region enum. */
export function refuseRegionEnumChange(session: SqlSession, statement: ast.OtherStatement, tokens: readonly Token[]): void {
  if (statement.drop?.object === 'type') {
    for (const { name } of statement.drop.names) {
      const database = regionEnumDatabase(
        session,
        name.parts.map((p) => p.value),
      );
      if (database === undefined) continue;
      throw new SqlError(
        DEPENDENT_OBJECTS_STILL_EXIST,
        `"${database}.public.${REGION_TYPE}" is a multi-region enum and cannot be modified directly`,
        `try ALTER DATABASE ${database} DROP REGION ${REGION_TYPE}`,
      );
    }
    return;
  }
  if (statement.keywords !== 'alter type' && !statement.keywords.startsWith('alter type ')) return;
  const start = tokens.findIndex((t, i) => isWord(t, 'type') && isWord(tokens[i - 1], 'alter'));
  const parts: string[] = [];
  let i = start + 1;
  for (; i < tokens.length; i += 2) {
    const t = tokens[i];
    if (t?.kind !== 'ident' && t?.kind !== 'qident') break;
    parts.push(t.value);
    if (!isPunct(tokens[i + 1], '.')) {
      i++;
      break;
    }
  }
  const database = start === -1 || parts.length === 0 ? undefined : regionEnumDatabase(session, parts);
  if (database === undefined) return;
  // Only a change of owner is allowed.
  if (isWord(tokens[i], 'owner') && isWord(tokens[i + 1], 'to')) return;
  throw new SqlError(
    WRONG_OBJECT_TYPE,
    `"${database}.public.${REGION_TYPE}" is a multi-region enum and can't be modified using the alter type command`,
    'try adding/removing the region using ALTER DATABASE',
  );
}

/** The multi-region database whose region enum `parts` names, if it names one. */
function regionEnumDatabase(session: SqlSession, parts: readonly string[]): string | undefined {
  const resolved = resolveParts(session, parts);
  if (resolved.name !== REGION_TYPE || resolved.schema !== 'public') return undefined;
  return session.cluster.catalog.isMultiRegion(resolved.database) ? resolved.database : undefined;
}
