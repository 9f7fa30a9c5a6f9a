// Points uuid-ossp's uuid_generate_v4() at CockroachDB's native gen_random_uuid(). CockroachDB's
// own docs (v26.x) use uuid_generate_v4() in examples, so it is accepted as a compatibility
// alias; the native name is what CockroachDB documents as the recommended key default.
//
//   id UUID PRIMARY KEY DEFAULT uuid_generate_v4()  -- info, fix: gen_random_uuid()
import { DOCS, type Rule } from '../rule';

const ALIASES = new Set(['uuid_generate_v4']);

export const uuidOsspFunction: Rule = {
  id: 'uuid-ossp-function',
  defaultSeverity: 'info',
  title: 'uuid-ossp function instead of gen_random_uuid()',
  description:
    "`uuid_generate_v4()` comes from PostgreSQL's uuid-ossp extension. CockroachDB's native generator is `gen_random_uuid()` (a random version 4 UUID), " +
    'the default its documentation recommends for keys; it needs no extension in PostgreSQL either.',
  docs: `${DOCS}uuid`,
  check(context) {
    for (const call of context.parsed.calls) {
      if (!ALIASES.has(call.name)) continue;
      context.report(
        call,
        `${call.name}() comes from PostgreSQL's uuid-ossp extension; CockroachDB's native generator is gen_random_uuid().`,
        [{ title: 'Use gen_random_uuid()', edits: [{ start: call.start, end: call.end, newText: 'gen_random_uuid' }], preferred: true }],
      );
    }
  },
};
