// Says once what lint assumes when a LOCALITY or a crdb_internal_region column lives in a
// database that no file creates and .crdb-studio.json does not declare (a SHOW CREATE ALL
// TABLES dump, migrations run against an existing multi-region database): that the database is
// multi-region, with regions lint cannot check.
//
// A table named without a database, in files that never USE one, lives in the session's
// database: whatever `cockroach sql --database …` or the application's connection chose. The
// hint does not guess its name (an earlier ALTER DATABASE x … REGION in the file may or may not
// be about it); it says how lint files such tables (under defaultdb) so the declaration works.
//
//   CREATE TABLE users (id UUID PRIMARY KEY) LOCALITY REGIONAL BY ROW;  -- hint: the session's database assumed multi-region
import { isRegionType, localityOf } from '../facts';
import { DOCS, type Rule } from '../rule';
import { DEFAULT_DATABASE } from '../../schema/model';
import type * as ast from '../../../../sql/src/ast';

/** Whether the name leaves its database to the session (no database part, or a schema part only). */
function sessionChoosesDatabase(name: ast.QualifiedName, database: string): boolean {
  return name.parts.length === 1 || (name.parts.length === 2 && name.parts[0]?.value !== database);
}

export const assumedMultiRegionDatabase: Rule = {
  id: 'assumed-multi-region-database',
  defaultSeverity: 'hint',
  title: 'Multi-region table in a database the files do not declare (assumed multi-region)',
  description:
    'The database is neither created in these files nor declared in `.crdb-studio.json`, but a table in it has a `LOCALITY` or a `crdb_internal_region` column, ' +
    'so lint assumes the database is multi-region and does not check its regions. Declare it: ' +
    '`{ "databases": { "movr": { "regions": ["us-east1", "us-west1"], "primaryRegion": "us-east1" } } }`. ' +
    "Tables named without a database, in files that never `USE` one, are in the session's database (the one `cockroach sql --database` or the connection chose): " +
    'lint does not guess its name and files them under `defaultdb`, so declare `defaultdb` for them, or `USE` the database first.',
  docs: `${DOCS}multiregion-overview`,
  statements: ['create-table', 'alter-table'],
  check(context) {
    const statement = context.statement;
    const target = localityOf(statement);
    if (!target) return;
    let evidence: { span: { start: number; end: number }; what: string } | undefined;
    if (target.locality) evidence = { span: target.locality, what: 'its LOCALITY' };
    else {
      const columns =
        statement.type === 'create-table'
          ? statement.columns
          : statement.type === 'alter-table'
            ? statement.commands.flatMap((c) => (c.kind === 'add-column' ? [c.column] : []))
            : [];
      const column = columns.find((c) => isRegionType(c.type?.name));
      if (column?.type) evidence = { span: column.type, what: `column ${column.name.value} of type crdb_internal_region` };
    }
    if (!evidence) return;
    const name = context.model.databaseOf(target.table);
    const database = context.model.database(name);
    if (database?.declared || database?.assumedMultiRegion) return;
    // The model starts in defaultdb, its stand-in for the session's database; the key 'current'
    // has a version only once a USE or SET database has named the database.
    const sessionDatabase =
      name === DEFAULT_DATABASE && sessionChoosesDatabase(target.table, name) && context.model.version('current') === 0;
    if (sessionDatabase) {
      context.report(
        evidence.span,
        `Table ${target.table.name.value} is in the session's database (no USE or SET database comes before it, so the connection picks it, as cockroach sql --database does), and lint does not guess which database that is; from ${evidence.what} it assumes that database is multi-region and does not check its regions. To have them checked, declare it under "databases" in .crdb-studio.json as "${DEFAULT_DATABASE}" (lint's name for the session's database) or USE it by name first.`,
      );
      return;
    }
    context.report(
      evidence.span,
      `Database ${name} is not created in these files nor declared in .crdb-studio.json; from ${evidence.what} lint assumes it is multi-region and does not check its regions. Declare it under "databases" in .crdb-studio.json to have them checked.`,
    );
  },
};
