// Flags SURVIVE REGION FAILURE on a database with fewer than three regions: CockroachDB
// rejects it, since losing one of two regions leaves no majority of voters.
//
//   CREATE DATABASE shop PRIMARY REGION "us-east1" REGIONS "us-west1";
//   ALTER DATABASE shop SURVIVE REGION FAILURE;  -- error
import { DOCS, type Rule } from '../rule';

export const surviveRegionFailure: Rule = {
  id: 'survive-region-failure-regions',
  defaultSeverity: 'error',
  title: 'SURVIVE REGION FAILURE with fewer than three regions',
  description:
    '`SURVIVE REGION FAILURE` keeps five voters spread so that losing any one region leaves a majority; that needs at least three database regions. ' +
    'It also adds a cross-region round trip to every write.',
  docs: `${DOCS}multiregion-survival-goals`,
  statements: ['create-database', 'alter-database'],
  check(context) {
    const statement = context.statement;
    if (statement.type === 'create-database' && statement.survival?.goal === 'region') {
      const regions = new Set(statement.regions.map((r) => r.value));
      if (statement.primaryRegion) regions.add(statement.primaryRegion.value);
      if (regions.size < 3)
        context.report(
          statement.survival,
          `SURVIVE REGION FAILURE needs at least 3 regions; database ${statement.name.value} has ${regions.size}.`,
        );
    } else if (statement.type === 'alter-database' && statement.action?.kind === 'survive' && statement.action.survival.goal === 'region') {
      const database = context.model.database(statement.name.value);
      if (database && database.regions.size < 3) {
        context.report(
          statement.action.survival,
          `SURVIVE REGION FAILURE needs at least 3 regions; database ${database.name} has ${database.regions.size} (${[...database.regions].map((r) => `"${r}"`).join(', ') || 'none'}).`,
        );
      }
    }
  },
};
