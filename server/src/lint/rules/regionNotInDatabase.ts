// Flags a region that the database was never given: REGIONAL BY TABLE IN "x", DROP REGION "x"
// or SET SECONDARY REGION "x" where x is not one of the database's regions, and a region a
// crdb_internal_region column's DEFAULT or computed expression yields ('x', THEN 'x', ELSE 'x',
// 'x'::crdb_internal_region): the value is cast to the database's region enum, so every row that
// computes it fails ("invalid input value for enum crdb_internal_region").
//
//   CREATE DATABASE shop PRIMARY REGION "us-east1" REGIONS "us-west1";
//   CREATE TABLE shop.eu (id UUID PRIMARY KEY) LOCALITY REGIONAL BY TABLE IN "europe-west1";  -- error
//   CREATE TABLE shop.users (…, crdb_region crdb_internal_region AS (
//     CASE WHEN country = 'DE' THEN 'europe-west1' ELSE 'us-east1' END) STORED)            -- error at 'europe-west1'
import type { DatabaseInfo } from '../../schema/model';
import type * as ast from '../../../../sql/src/ast';
import { lex } from '../../../../sql/src/lexer';
import { isRegionType, localityOf, tableColumn } from '../facts';
import { DOCS, type Rule, type RuleContext } from '../rule';

function known(database: DatabaseInfo, region: ast.Name): boolean {
  return database.regions.has(region.value);
}

function regionList(database: DatabaseInfo): string {
  return [...database.regions].map((r) => `"${r}"`).join(', ') || 'none';
}

/**
 * The region literals an expression of a region column can yield, with their spans in the
 * statement: the whole expression when it is one string, the results of CASE (after THEN and
 * ELSE), and strings cast to crdb_internal_region. Strings compared in WHEN conditions are not
 * regions.
 */
function regionLiterals(expr: ast.Expr): { region: string; start: number; end: number }[] {
  const tokens = lex(expr.text).tokens;
  const found: { region: string; start: number; end: number }[] = [];
  tokens.forEach((token, i) => {
    if (token.kind !== 'string') return;
    const before = tokens[i - 1];
    const after = tokens[i + 1];
    const cast = after?.kind === 'op' && after.value === '::' && isRegionType(tokens[i + 2]?.value);
    const result = before?.kind === 'ident' && (before.value === 'then' || before.value === 'else');
    const whole = i === 0 && (tokens.length === 1 || cast);
    if (result || whole || cast) found.push({ region: token.value, start: expr.start + token.start, end: expr.start + token.end });
  });
  return found;
}

/** The region columns a statement defines or gives a default, with the expressions that yield their values. */
function regionExpressions(context: RuleContext): { table: ast.QualifiedName; exprs: ast.Expr[] } | undefined {
  const statement = context.statement;
  const ofColumn = (column: ast.Column): ast.Expr[] =>
    isRegionType(column.type?.name) ? [column.default, column.computed?.expr].filter((e): e is ast.Expr => e !== undefined) : [];
  if (statement.type === 'create-table') return { table: statement.name, exprs: statement.columns.flatMap(ofColumn) };
  if (statement.type !== 'alter-table') return undefined;
  const exprs = statement.commands.flatMap((command) => {
    if (command.kind === 'add-column') return ofColumn(command.column);
    if (command.kind === 'alter-column' && command.action === 'set-default' && command.default) {
      const column = tableColumn(context.model.table(statement.name), command.column.value);
      return column && isRegionType(column.type?.name) ? [command.default] : [];
    }
    return [];
  });
  return { table: statement.name, exprs };
}

function checkRegionColumns(context: RuleContext): void {
  const found = regionExpressions(context);
  if (!found || found.exprs.length === 0) return;
  const database = context.model.databaseFor(found.table);
  if (!database?.primaryRegion) return;
  const reported = new Set<string>();
  for (const expr of found.exprs)
    for (const literal of regionLiterals(expr)) {
      if (database.regions.has(literal.region)) continue;
      const insertAt = context.parsed.start;
      context.report(
        { start: literal.start, end: literal.end },
        `Region "${literal.region}" is not a region of database ${database.name} (its regions: ${regionList(database)}): ` +
          `casting it to crdb_internal_region fails for every row that yields it.`,
        reported.has(literal.region)
          ? []
          : [
              {
                title: `Add region "${literal.region}" to ${database.name} first`,
                edits: [{ start: insertAt, end: insertAt, newText: `ALTER DATABASE ${database.name} ADD REGION "${literal.region}";\n` }],
              },
            ],
      );
      reported.add(literal.region);
    }
}

export const regionNotInDatabase: Rule = {
  id: 'region-not-in-database',
  defaultSeverity: 'error',
  title: 'Region not added to the database',
  description:
    'A table can only be homed in, and a database can only drop or make secondary, a region that was added to the database (`ALTER DATABASE d ADD REGION "…"`). ' +
    "Likewise a `crdb_internal_region` column (the region column of a REGIONAL BY ROW table) can only hold the database's regions: a DEFAULT or computed expression " +
    "(`CASE … THEN 'us-east1' … END`) that yields another one fails for every row that yields it.",
  docs: `${DOCS}alter-database#add-region`,
  statements: ['create-table', 'alter-table', 'alter-database'],
  check(context) {
    const statement = context.statement;
    const { model } = context;
    checkRegionColumns(context);
    const target = localityOf(statement);
    if (target) {
      const locality = target.locality;
      if (locality?.kind !== 'regional-by-table' || !locality.region) return;
      const database = model.databaseFor(target.table);
      if (!database?.primaryRegion || known(database, locality.region)) return;
      // The ALTER goes on its own line just before the statement.
      const insertAt = context.parsed.start;
      context.report(
        locality.region,
        `Region "${locality.region.value}" is not a region of database ${database.name} (its regions: ${regionList(database)}).`,
        [
          {
            title: `Add region "${locality.region.value}" to ${database.name} first`,
            edits: [
              { start: insertAt, end: insertAt, newText: `ALTER DATABASE ${database.name} ADD REGION "${locality.region.value}";\n` },
            ],
          },
        ],
      );
      return;
    }
    if (statement.type === 'alter-database') {
      const action = statement.action;
      const database = model.database(statement.name.value);
      if (!database || !action) return;
      if ((action.kind === 'drop-region' || action.kind === 'secondary-region') && action.region && !known(database, action.region)) {
        context.report(
          action.region,
          `Region "${action.region.value}" is not a region of database ${database.name} (its regions: ${regionList(database)}).`,
        );
      }
    }
  },
};
