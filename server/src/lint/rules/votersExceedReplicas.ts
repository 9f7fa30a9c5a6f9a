// Flags num_voters above num_replicas: voters are a subset of the replicas, so CockroachDB
// rejects it. num_replicas comes from the same statement, else from what the zone already has
// (the table's, then its database's), else from CockroachDB's defaults: 3, or in a multi-region
// database what the survival goal derives (ZONE: regions + 2, REGION: max(5, regions + 1)).
//
//   ALTER TABLE t CONFIGURE ZONE USING num_replicas = 3, num_voters = 5;  -- error
//   ALTER TABLE t CONFIGURE ZONE USING num_voters = 5;                    -- error: 3 by default
import type { SchemaModel } from '../../schema/model';
import type * as ast from '../../../../sql/src/ast';
import { DOCS, type Rule } from '../rule';
import { configureZoneOf } from './zoneSettings';

function inherited(statement: ast.Statement, model: SchemaModel): { replicas: number; from: string } | undefined {
  let database: string | undefined;
  if (statement.type === 'alter-table') {
    const own = Number(model.zone(model.tableZoneKey(statement.name))?.get('num_replicas'));
    if (Number.isInteger(own) && own > 0) return { replicas: own, from: `the zone of ${statement.name.name.value}` };
    database = model.databaseOf(statement.name);
  } else if (statement.type === 'alter-database') database = statement.name.value;
  else return undefined; // indexes and partitions inherit from a table we do not resolve here
  const zone = Number(model.zone(`database:${database}`)?.get('num_replicas'));
  if (Number.isInteger(zone) && zone > 0) return { replicas: zone, from: `the zone of database ${database}` };
  const info = model.database(database);
  if (info?.primaryRegion) {
    const regions = info.regions.size;
    const replicas = info.survival === 'region' ? Math.max(5, regions + 1) : regions + 2;
    return { replicas, from: `what database ${database} derives for ${regions} regions and ${info.survival.toUpperCase()} survival` };
  }
  return { replicas: 3, from: 'the default replication zone' };
}

export const votersExceedReplicas: Rule = {
  id: 'voters-exceed-replicas',
  defaultSeverity: 'error',
  title: 'num_voters above num_replicas',
  description:
    '`num_voters` counts the voting replicas among `num_replicas`; it cannot be larger. The remaining `num_replicas - num_voters` are non-voting replicas. ' +
    'A zone that sets only `num_voters` keeps the `num_replicas` it inherits (3 by default).',
  docs: `${DOCS}configure-replication-zones#num_voters`,
  statements: ['configure-zone', 'alter-table', 'alter-database'],
  check(context) {
    const zone = configureZoneOf(context.statement);
    const voters = zone?.settings.find((s) => s.name === 'num_voters');
    if (voters?.integer === undefined) return;
    const stated = zone?.settings.find((s) => s.name === 'num_replicas')?.integer;
    const replicas = stated !== undefined ? { replicas: stated, from: 'this statement' } : inherited(context.statement, context.model);
    if (!replicas || voters.integer <= replicas.replicas) return;
    context.report(
      voters,
      `num_voters = ${voters.integer} exceeds num_replicas = ${replicas.replicas} (from ${replicas.from}): voters are a subset of the replicas.`,
      [
        {
          title: `Use num_voters = ${replicas.replicas}`,
          edits: [{ start: voters.value.start, end: voters.value.end, newText: String(replicas.replicas) }],
          preferred: true,
        },
      ],
    );
  },
};
