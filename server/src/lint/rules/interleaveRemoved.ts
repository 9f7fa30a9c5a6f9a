// Flags INTERLEAVE IN PARENT: removed in v21.2 (deprecated since v20.2); CockroachDB now
// rejects the clause.
//
//   CREATE TABLE notes (…) INTERLEAVE IN PARENT ledger (ledger_id);  -- error
import type { Rule } from '../rule';
import { atLeast, formatVersion } from '../version';

export const interleaveRemoved: Rule = {
  id: 'interleave-removed',
  defaultSeverity: 'error',
  title: 'INTERLEAVE IN PARENT (removed in v21.2)',
  description:
    'Interleaved tables were deprecated in v20.2 and removed in v21.2. Use a primary key that starts with the parent key instead; the rows stay close without interleaving.',
  docs: 'https://www.cockroachlabs.com/docs/v21.1/interleave-in-parent',
  check(context) {
    const statement = context.statement;
    if (statement.type !== 'create-table' || !statement.interleave) return;
    const removed = atLeast(context.cockroachVersion, 'v21.2');
    const start = statement.interleave.start;
    // Remove the clause and the whitespace before it.
    const text = context.statements[context.index]?.text ?? '';
    let from = start;
    while (from > 0 && /\s/.test(text[from - 1] ?? '')) from--;
    context.report(
      statement.interleave,
      removed
        ? `INTERLEAVE IN PARENT was removed in v21.2: CockroachDB ${formatVersion(context.cockroachVersion)} rejects it.`
        : `INTERLEAVE IN PARENT is deprecated since v20.2 and removed in v21.2.`,
      [{ title: 'Remove INTERLEAVE IN PARENT', edits: [{ start: from, end: statement.interleave.end, newText: '' }], preferred: true }],
    );
  },
};
