// Flags a LOCALITY clause in a database that has no primary region: CockroachDB rejects it
// ("cannot set LOCALITY on a table in a database that is not multi-region enabled").
//
//   CREATE DATABASE scratch;
//   CREATE TABLE scratch.notes (id UUID PRIMARY KEY) LOCALITY GLOBAL;  -- error
//
// Only for a database the files (or .crdb-studio.json) declare: a SHOW CREATE ALL TABLES dump of a
// multi-region database has no database DDL, and guessing would call every LOCALITY an error
// (assumed-multi-region-database says what is assumed instead).
import { localityOf } from '../facts';
import { DOCS, type Rule } from '../rule';

export const localityWithoutPrimaryRegion: Rule = {
  id: 'locality-without-primary-region',
  defaultSeverity: 'error',
  title: 'LOCALITY in a database without a primary region',
  description:
    'Table localities exist only in multi-region databases. Give the database a primary region first: `ALTER DATABASE d PRIMARY REGION "…"`.',
  docs: `${DOCS}multiregion-overview`,
  statements: ['create-table', 'alter-table'],
  check(context) {
    const target = localityOf(context.statement);
    if (!target?.locality) return;
    const database = context.model.databaseFor(target.table);
    if (!database?.declared || database.primaryRegion) return;
    context.report(
      target.locality,
      `Database ${database.name} has no primary region, so table ${target.table.name.value} cannot have a LOCALITY. Add one with ALTER DATABASE ${database.name} PRIMARY REGION "…".`,
    );
  },
};
