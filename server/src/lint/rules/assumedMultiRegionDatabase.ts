// Says once what lint assumes when a LOCALITY or a crdb_internal_region column lives in a
// database that no file creates and .crdb-studio.json does not declare (a SHOW CREATE ALL
// TABLES dump, migrations run against an existing multi-region database): that the database is
// multi-region, with regions lint cannot check.
//
//   CREATE TABLE users (id UUID PRIMARY KEY) LOCALITY REGIONAL BY ROW;  -- hint: defaultdb assumed multi-region
import { isRegionType, localityOf } from '../facts';
import { DOCS, type Rule } from '../rule';

export const assumedMultiRegionDatabase: Rule = {
  id: 'assumed-multi-region-database',
  defaultSeverity: 'hint',
  title: 'Multi-region table in a database the files do not declare (assumed multi-region)',
  description:
    'The database is neither created in these files nor declared in `.crdb-studio.json`, but a table in it has a `LOCALITY` or a `crdb_internal_region` column, ' +
    'so lint assumes the database is multi-region and does not check its regions. Declare it: ' +
    '`{ "databases": { "movr": { "regions": ["us-east1", "us-west1"], "primaryRegion": "us-east1" } } }`.',
  docs: `${DOCS}multiregion-overview`,
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
    context.report(
      evidence.span,
      `Database ${name} is not created in these files nor declared in .crdb-studio.json; from ${evidence.what} lint assumes it is multi-region and does not check its regions. Declare it under "databases" in .crdb-studio.json to have them checked.`,
    );
  },
};
