// Flags num_replicas below 3 or even: failures tolerated are floor((n-1)/2), so 2 tolerates
// none and 4 tolerates one, like 3, at the cost of a fourth copy.
//
//   ALTER TABLE t CONFIGURE ZONE USING num_replicas = 4;  -- flagged
import { DOCS, type Rule } from '../rule';
import { configureZoneOf } from './zoneSettings';

export const replicationFactor: Rule = {
  id: 'replication-factor',
  defaultSeverity: 'warning',
  title: 'num_replicas below 3 or even',
  description:
    'A range survives floor((n-1)/2) replica failures: 3 → 1, 4 → 1, 5 → 2. Fewer than 3 replicas tolerate no failure; an even number costs a replica and adds no tolerance. Use 3, 5 or 7.',
  docs: `${DOCS}configure-replication-zones`,
  statements: ['configure-zone', 'alter-table', 'alter-database'],
  check(context) {
    const zone = configureZoneOf(context.statement);
    const setting = zone?.settings.find((s) => s.name === 'num_replicas');
    if (setting?.integer === undefined) return;
    const n = setting.integer;
    const tolerated = Math.max(0, Math.floor((n - 1) / 2));
    if (n < 3) {
      context.report(
        setting,
        `num_replicas = ${n} tolerates ${tolerated === 0 ? 'no failure' : `${tolerated} failure`}: a range with fewer than 3 replicas loses quorum when one node fails. Use 3 or more.`,
        [{ title: 'Use num_replicas = 3', edits: [{ start: setting.value.start, end: setting.value.end, newText: '3' }], preferred: true }],
      );
    } else if (n % 2 === 0) {
      context.report(
        setting,
        `num_replicas = ${n} tolerates ${tolerated} failure${tolerated === 1 ? '' : 's'}, no more than ${n - 1}: the extra replica costs storage and write latency for nothing. Use ${n - 1} or ${n + 1}.`,
        [
          {
            title: `Use num_replicas = ${n + 1}`,
            edits: [{ start: setting.value.start, end: setting.value.end, newText: String(n + 1) }],
            preferred: true,
          },
          { title: `Use num_replicas = ${n - 1}`, edits: [{ start: setting.value.start, end: setting.value.end, newText: String(n - 1) }] },
        ],
      );
    }
  },
};
