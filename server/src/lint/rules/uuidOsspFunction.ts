// Points uuid-ossp's uuid_generate_v4() at CockroachDB's native gen_random_uuid(). CockroachDB
// has the uuid-ossp functions built in since v21.1 (its own docs use uuid_generate_v4() in
// examples), so on current versions this is advice; before v21.1 the function does not exist
// and the statement fails.
//
//   id UUID PRIMARY KEY DEFAULT uuid_generate_v4()  -- info, fix: gen_random_uuid()
import { DOCS, type Rule } from '../rule';
import { atLeast, formatVersion, SINCE } from '../version';

const ALIASES = new Set(['uuid_generate_v4']);

export const uuidOsspFunction: Rule = {
  id: 'uuid-ossp-function',
  defaultSeverity: 'info',
  title: 'uuid-ossp function instead of gen_random_uuid()',
  description:
    "`uuid_generate_v4()` comes from PostgreSQL's uuid-ossp extension; CockroachDB has it built in from v21.1 (no CREATE EXTENSION needed), " +
    'and it does not exist before. The native generator is `gen_random_uuid()` (a random version 4 UUID), the default CockroachDB documents for keys; ' +
    'it needs no extension in PostgreSQL 13+ either.',
  docs: `${DOCS}uuid`,
  statements: 'all',
  check(context) {
    const calls = context.parsed.calls;
    // Indexed: this runs on every statement, and a for-of allocates an iterator and a result a
    // step until the function is optimised (a short lint never gets that far).
    for (let i = 0; i < calls.length; i++) {
      const call = calls[i];
      if (!call || !ALIASES.has(call.name)) continue;
      const exists = atLeast(context.cockroachVersion, SINCE.uuidOsspFunctions);
      context.report(
        call,
        exists
          ? `${call.name}() comes from PostgreSQL's uuid-ossp extension (built into CockroachDB since ${SINCE.uuidOsspFunctions}); CockroachDB's native generator is gen_random_uuid().`
          : `${call.name}() does not exist on CockroachDB ${formatVersion(context.cockroachVersion)} (it is built in from ${SINCE.uuidOsspFunctions}): the statement fails; use gen_random_uuid().`,
        [{ title: 'Use gen_random_uuid()', edits: [{ start: call.start, end: call.end, newText: 'gen_random_uuid' }], preferred: true }],
      );
    }
  },
};
