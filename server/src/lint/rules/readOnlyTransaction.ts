// Suggests READ ONLY (or follower reads) for an explicit transaction that only reads but is
// left as a SERIALIZABLE read-write transaction.
//
//   BEGIN; SELECT … ; COMMIT;   -- info: BEGIN READ ONLY, or AS OF SYSTEM TIME follower_read_timestamp()
import type * as ast from '../../../../sql/src/ast';
import { DOCS, type Rule } from '../rule';

const READS = new Set<ast.StatementKind>(['select', 'show']);

export const readOnlyTransaction: Rule = {
  id: 'read-only-transaction',
  defaultSeverity: 'info',
  title: 'Read-only explicit transaction left as read-write SERIALIZABLE',
  description:
    'A transaction that only reads can say `READ ONLY`: it takes no write intents and cannot cause write conflicts. If slightly stale data is fine, ' +
    '`AS OF SYSTEM TIME follower_read_timestamp()` serves it from the nearest replica with no contention at all.',
  docs: `${DOCS}follower-reads`,
  statements: ['begin'],
  check(context) {
    const statement = context.statement;
    if (statement.type !== 'begin' || statement.readOnly !== undefined || statement.asOfSystemTime) return;
    if (statement.isolation && statement.isolation.level !== 'serializable') return;
    let reads = 0;
    for (let i = context.index + 1; i < context.statements.length; i++) {
      const next = context.statements[i]?.parsed.statement;
      if (!next) return;
      if (next.type === 'other' && next.kind === 'commit') break;
      if (next.type === 'set-transaction') {
        if (next.readOnly !== undefined || next.asOfSystemTime || (next.isolation && next.isolation.level !== 'serializable')) return;
        continue;
      }
      if (next.type !== 'other' || !READS.has(next.kind)) return;
      const source = context.statements[i];
      if (source && /\bfor\s+(update|share)\b/i.test(source.text.slice(source.parsed.start, source.parsed.end))) return;
      reads++;
      if (i === context.statements.length - 1) return; // never committed in this file
    }
    if (reads === 0) return;
    const end = context.parsed.end;
    context.report(
      statement,
      `This transaction only reads: declare it READ ONLY, or read from followers with AS OF SYSTEM TIME follower_read_timestamp() if slightly stale data is fine.`,
      [{ title: 'Declare the transaction READ ONLY', edits: [{ start: end, end, newText: ' READ ONLY' }], preferred: true }],
    );
  },
};
