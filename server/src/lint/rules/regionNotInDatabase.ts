// Flags a region that the database was never given: REGIONAL BY TABLE IN "x", DROP REGION "x"
// or SET SECONDARY REGION "x" where x is not one of the database's regions.
//
//   CREATE DATABASE shop PRIMARY REGION "us-east1" REGIONS "us-west1";
//   CREATE TABLE shop.eu (id UUID PRIMARY KEY) LOCALITY REGIONAL BY TABLE IN "europe-west1";  -- error
import type { DatabaseInfo } from '../../schema/model';
import type * as ast from '../../../../sql/src/ast';
import { localityOf } from '../facts';
import { DOCS, type Rule } from '../rule';

function known(database: DatabaseInfo, region: ast.Name): boolean {
  return database.regions.has(region.value);
}

function regionList(database: DatabaseInfo): string {
  return [...database.regions].map((r) => `"${r}"`).join(', ') || 'none';
}

export const regionNotInDatabase: Rule = {
  id: 'region-not-in-database',
  defaultSeverity: 'error',
  title: 'Region not added to the database',
  description:
    'A table can only be homed in, and a database can only drop or make secondary, a region that was added to the database (`ALTER DATABASE d ADD REGION "…"`).',
  docs: `${DOCS}alter-database#add-region`,
  check(context) {
    const statement = context.statement;
    const { model } = context;
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
