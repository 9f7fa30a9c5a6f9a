// Builtins whose value is not a constant, by why: CockroachDB refuses them where a value must be
// fixed when the statement is planned (partition values, AS OF SYSTEM TIME).

/** Functions of the statement's or transaction's time. */
export const CLOCK_FUNCTIONS: readonly string[] = [
  'now',
  'current_timestamp',
  'current_date',
  'current_time',
  'localtimestamp',
  'localtime',
  'statement_timestamp',
  'transaction_timestamp',
  'timeofday',
];

/** Functions of the session. */
export const SESSION_FUNCTIONS: readonly string[] = ['current_user', 'session_user', 'current_database', 'current_schema'];

/** Functions with a new value each call. */
export const VOLATILE_FUNCTIONS: ReadonlySet<string> = new Set([
  'uuid_v4',
  'gen_random_uuid',
  'uuid_generate_v4',
  'random',
  'unique_rowid',
  'clock_timestamp',
  'nextval',
  'gen_random_ulid',
]);
