// Flags num_voters above num_replicas: voters are a subset of the replicas, so CockroachDB
// rejects it.
//
//   ALTER TABLE t CONFIGURE ZONE USING num_replicas = 3, num_voters = 5;  -- error
import { DOCS, type Rule } from '../rule';
import { configureZoneOf } from './zoneSettings';

export const votersExceedReplicas: Rule = {
  id: 'voters-exceed-replicas',
  defaultSeverity: 'error',
  title: 'num_voters above num_replicas',
  description:
    '`num_voters` counts the voting replicas among `num_replicas`; it cannot be larger. The remaining `num_replicas - num_voters` are non-voting replicas.',
  docs: `${DOCS}configure-replication-zones#num_voters`,
  check(context) {
    const zone = configureZoneOf(context.statement);
    const replicas = zone?.settings.find((s) => s.name === 'num_replicas')?.integer;
    const voters = zone?.settings.find((s) => s.name === 'num_voters');
    if (replicas === undefined || voters?.integer === undefined || voters.integer <= replicas) return;
    context.report(voters, `num_voters = ${voters.integer} exceeds num_replicas = ${replicas}: voters are a subset of the replicas.`, [
      {
        title: `Use num_voters = ${replicas}`,
        edits: [{ start: voters.value.start, end: voters.value.end, newText: String(replicas) }],
        preferred: true,
      },
    ]);
  },
};
