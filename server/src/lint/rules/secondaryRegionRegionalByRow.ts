// Flags a secondary region together with REGIONAL BY ROW tables: CockroachDB documents the
// combination as a known limitation, so failover to the secondary region does not cover them.
//
//   ALTER DATABASE movr SET SECONDARY REGION "us-west1";
//   CREATE TABLE movr.users (…) LOCALITY REGIONAL BY ROW;   -- flagged
import { localityOf } from '../facts';
import { DOCS, type Rule } from '../rule';

export const secondaryRegionRegionalByRow: Rule = {
  id: 'secondary-region-regional-by-row',
  defaultSeverity: 'warning',
  title: 'Secondary region with REGIONAL BY ROW tables',
  description:
    'A secondary region is where the leaseholders of the primary region move when it fails. CockroachDB lists it as a known limitation that secondary regions ' +
    'are not supported together with `REGIONAL BY ROW` tables: plan their failover with the survival goal instead.',
  docs: `${DOCS}multiregion-overview#secondary-regions`,
  statements: ['create-table', 'alter-table', 'alter-database'],
  check(context) {
    const statement = context.statement;
    const { model } = context;
    const target = localityOf(statement);
    if (target) {
      if (target.locality?.kind !== 'regional-by-row') return;
      const database = model.databaseFor(target.table);
      if (database?.secondaryRegion) {
        context.report(
          target.locality,
          `Database ${database.name} has secondary region "${database.secondaryRegion}", which CockroachDB does not support together with REGIONAL BY ROW tables.`,
        );
      }
    } else if (statement.type === 'alter-database' && statement.action?.kind === 'secondary-region' && statement.action.region) {
      const name = statement.name.value;
      const regionalByRow = [...model.tables.values()]
        .filter((t) => t.database === name && t.locality === 'regional-by-row')
        .map((t) => t.name);
      if (regionalByRow.length > 0) {
        context.report(
          statement.action,
          `Database ${name} has REGIONAL BY ROW tables (${regionalByRow.slice(0, 3).join(', ')}${regionalByRow.length > 3 ? ', …' : ''}): CockroachDB does not support a secondary region together with them.`,
        );
      }
    }
  },
};
