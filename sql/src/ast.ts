// Syntax tree for the CockroachDB statements the linter reasons about. Every node carries the
// source span [start, end) it came from (UTF-16 offsets into the document).

export interface Span {
  start: number;
  end: number;
}

export interface Name extends Span {
  /** Normalised: lower-cased unless it was quoted. */
  value: string;
  quoted: boolean;
}

export interface QualifiedName extends Span {
  parts: Name[];
  /** The last part: the object's own name. */
  name: Name;
}

export interface TypeRef extends Span {
  /** Lower-cased base name, e.g. `int8`, `string`, `double precision`, `crdb_internal_region`. */
  name: string;
  array: boolean;
}

/** An expression, kept as source with the little structure the rules need. */
export interface Expr extends Span {
  text: string;
  /** Set when the expression is one call `f(...)`: the lower-cased function name. */
  call?: string;
  /** The call's first argument, when it is a string literal (e.g. nextval('seq')). */
  firstStringArgument?: string;
  /** Set for a bare keyword-like value such as current_timestamp or a literal. */
  word?: string;
  /** Set when the expression is one string literal: its content. */
  string?: string;
}

export interface Column extends Span {
  name: Name;
  type?: TypeRef;
  notNull: boolean;
  primaryKey?: Span;
  /** UNIQUE, with an index (UNIQUE WITHOUT INDEX has none and is not recorded). */
  unique: boolean;
  /** CONSTRAINT name UNIQUE: the name of the column's unique index. */
  uniqueName?: Name;
  default?: Expr;
  /** GENERATED … AS IDENTITY, or a SERIAL type. */
  identity?: Span;
  computed?: { expr: Expr; stored: boolean };
  notVisible: boolean;
  references?: QualifiedName;
  /** REFERENCES t (c): the referenced column, when written. */
  referencedColumn?: Name;
  /** An explicit `NULL` constraint (`col T NULL`). */
  nullWritten?: Span;
  family?: Name;
}

/** A FOREIGN KEY constraint, or a column's inline REFERENCES. */
export interface ForeignKey extends Span {
  /** CONSTRAINT name. */
  name?: Name;
  /** The referencing columns (for an inline REFERENCES: the column itself). */
  columns: Name[];
  /** The referenced table. */
  table: QualifiedName;
  /** Empty when not written (then the referenced table's primary key). */
  referencedColumns: Name[];
}

export interface IndexColumn extends Span {
  /** Column name, or undefined for an expression element. */
  name?: Name;
  expr?: Expr;
  descending: boolean;
}

export interface IndexDef extends Span {
  kind: 'index' | 'unique' | 'primary';
  name?: Name;
  columns: IndexColumn[];
  /** Just past the ')' that closes the column list (where USING HASH goes). */
  columnsEnd: number;
  usingHash?: Span;
  bucketCount?: number;
  storing: Name[];
  where?: Expr;
  inverted: boolean;
  vector: boolean;
  partitionBy?: PartitionBy;
  notVisible: boolean;
  /** INTERLEAVE IN PARENT after the index (accepted and ignored through v21.2, a syntax error from v22.1). */
  interleave?: Span;
}

export interface PartitionBy extends Span {
  method: 'list' | 'range' | 'nothing' | 'all';
  columns: Name[];
  partitions: Name[];
  /** The partitions as written, in order (none for NOTHING). */
  definitions: PartitionDefinition[];
}

/** One value of a partition: a scalar expression, or a tuple `(a, b, …)`; parentheses around a single value are dropped. */
export interface PartitionValue extends Span {
  expr?: Expr;
  tuple?: PartitionValue[];
}

/** `PARTITION p VALUES IN (…)` or `PARTITION p VALUES FROM (…) TO (…)`, with its subpartitioning. */
export interface PartitionDefinition extends Span {
  name: Name;
  /** LIST: the values between the parentheses of VALUES IN. */
  values?: PartitionValue[];
  /** RANGE: the values of each bound. */
  from?: PartitionValue[];
  to?: PartitionValue[];
  subpartition?: PartitionBy;
}

export type Locality =
  | (Span & { kind: 'global' })
  | (Span & { kind: 'regional-by-table'; region?: Name; inPrimaryRegion: boolean })
  | (Span & { kind: 'regional-by-row'; as?: Name });

export interface ZoneSetting extends Span {
  name: string;
  value: Expr;
  /** Integer value when the setting's value is a plain integer. */
  integer?: number;
}

export interface ZoneTarget extends Span {
  kind: 'database' | 'table' | 'index' | 'partition' | 'range';
  name?: QualifiedName;
  /** `t@i`: the index, when the name is its table's. */
  index?: Name;
  partition?: Name;
  /** `OF INDEX t@*`: the partition of that name in every index of the table. */
  allIndexes?: boolean;
  /** `PARTITION p OF INDEX …` rather than `OF TABLE`. */
  ofIndex?: boolean;
}

export interface ConfigureZone extends Span {
  target?: ZoneTarget;
  settings: ZoneSetting[];
  discard: boolean;
  /** Variables written `= COPY FROM PARENT`. */
  copyFromParent?: string[];
  /** `USING DEFAULT`: the target takes the default zone configuration as its own. */
  useDefault?: boolean;
}

export type SurvivalGoal = Span & { goal: 'zone' | 'region' };

export interface CreateTable extends Span {
  type: 'create-table';
  name: QualifiedName;
  ifNotExists: boolean;
  columns: Column[];
  indexes: IndexDef[];
  /** The PRIMARY KEY, from a column or a table constraint. */
  primaryKey?: IndexDef;
  families: Name[];
  /** Table-level FOREIGN KEY constraints and inline column REFERENCES, both. */
  foreignKeys: ForeignKey[];
  locality?: Locality;
  partitionBy?: PartitionBy;
  interleave?: Span;
  /** CREATE TABLE … AS SELECT: columns come from a query. */
  asSelect: boolean;
  /** A LIKE element: columns copied from another table, not listed here. */
  like?: Span;
  temporary: boolean;
}

export interface CreateIndex extends Span {
  type: 'create-index';
  table: QualifiedName;
  index: IndexDef;
  ifNotExists: boolean;
  /** INTERLEAVE IN PARENT (accepted and ignored through v21.2, a syntax error from v22.1). */
  interleave?: Span;
}

export type AlterTableCommand =
  | (Span & { kind: 'add-column'; column: Column; ifNotExists: boolean })
  /** ifNotExists: ADD CONSTRAINT IF NOT EXISTS name, which does nothing when the table has a constraint of that name. */
  | (Span & { kind: 'add-constraint'; index?: IndexDef; foreignKey?: ForeignKey; ifNotExists: boolean })
  | (Span & { kind: 'alter-primary-key'; index: IndexDef })
  | (Span & { kind: 'drop-column'; column: Name; ifExists: boolean })
  | (Span & { kind: 'rename-column'; column: Name; to: Name })
  | (Span & {
      kind: 'alter-column';
      column: Name;
      action: 'set-type' | 'set-not-null' | 'drop-not-null' | 'set-default' | 'drop-default' | 'set-visible' | 'other';
      type?: TypeRef;
      default?: Expr;
      using?: Expr;
      /** set-visible: SET VISIBLE (true) or SET NOT VISIBLE (false). */
      visible?: boolean;
    })
  | (Span & { kind: 'drop-constraint'; name: Name; ifExists: boolean })
  | (Span & { kind: 'rename-constraint'; name: Name; to: Name })
  | (Span & { kind: 'set-locality'; locality: Locality })
  | (Span & { kind: 'partition-by'; partitionBy: PartitionBy })
  | (Span & { kind: 'configure-zone'; zone: ConfigureZone })
  | (Span & { kind: 'rename-table'; to: QualifiedName })
  | (Span & { kind: 'owner'; owner: Name })
  | (Span & { kind: 'other'; keyword: string });

export interface AlterTable extends Span {
  type: 'alter-table';
  name: QualifiedName;
  ifExists: boolean;
  commands: AlterTableCommand[];
}

export interface CreateDatabase extends Span {
  type: 'create-database';
  name: Name;
  ifNotExists: boolean;
  primaryRegion?: Name;
  regions: Name[];
  survival?: SurvivalGoal;
  secondaryRegion?: Name;
  /** PLACEMENT DEFAULT | RESTRICTED. */
  placement?: 'default' | 'restricted';
}

export type AlterDatabaseAction =
  | (Span & { kind: 'primary-region'; region: Name })
  | (Span & { kind: 'add-region'; region: Name; ifNotExists: boolean })
  | (Span & { kind: 'drop-region'; region: Name; ifExists: boolean })
  | (Span & { kind: 'survive'; survival: SurvivalGoal })
  /** SET SECONDARY REGION r, or (without a region) DROP SECONDARY REGION [IF EXISTS]. */
  | (Span & { kind: 'secondary-region'; region?: Name; ifExists: boolean })
  | (Span & { kind: 'placement'; policy: 'default' | 'restricted' })
  | (Span & { kind: 'configure-zone'; zone: ConfigureZone })
  | (Span & { kind: 'rename'; to: Name })
  | (Span & { kind: 'owner'; owner: Name })
  | (Span & { kind: 'other'; keyword: string });

export interface AlterDatabase extends Span {
  type: 'alter-database';
  name: Name;
  action?: AlterDatabaseAction;
}

/** ALTER INDEX / PARTITION / RANGE … CONFIGURE ZONE. */
export interface AlterZone extends Span {
  type: 'configure-zone';
  zone: ConfigureZone;
}

export interface CreateSequence extends Span {
  type: 'create-sequence';
  name: QualifiedName;
}

export interface CreateRole extends Span {
  type: 'create-role';
  /** ALTER USER / ROLE rather than CREATE. */
  alter: boolean;
  name: Name;
  /** The password literal, when one is written in the statement. */
  password?: Span;
  /** IF NOT EXISTS, where it is written. */
  ifNotExists?: Span;
}

export type IsolationLevel = 'serializable' | 'repeatable read' | 'read committed' | 'read uncommitted' | 'snapshot';

export interface TransactionModes {
  isolation?: Span & { level: IsolationLevel };
  readOnly?: boolean;
  asOfSystemTime?: Span;
  /** PRIORITY LOW | NORMAL | HIGH, lower-cased. */
  priority?: string;
}

export interface Begin extends Span, TransactionModes {
  type: 'begin';
}

export interface SetTransaction extends Span, TransactionModes {
  type: 'set-transaction';
  /** SET SESSION CHARACTERISTICS / default_transaction_isolation: applies to later transactions. */
  sessionDefault: boolean;
  /** Written as `SET <variable> = level` rather than SET TRANSACTION: the variable's name. */
  variable?: string;
}

export interface SetVariable extends Span {
  type: 'set';
  name: string;
  value?: Expr;
  cluster: boolean;
  /** SET LOCAL: for the rest of the transaction only. */
  local?: true;
}

export interface Use extends Span {
  type: 'use';
  database: Name;
}

export interface CreateExtension extends Span {
  type: 'create-extension';
  name?: Name;
}

export type StatementKind =
  | 'select'
  | 'insert'
  | 'upsert'
  | 'update'
  | 'delete'
  | 'commit'
  | 'rollback'
  | 'savepoint'
  | 'show'
  | 'explain'
  | 'drop'
  | 'grant'
  | 'command'
  | 'other';

/** What a SHOW statement's FROM / FOR names. */
export interface ShowTarget extends Span {
  /** `object` when only a name is written (SHOW TABLES FROM d, SHOW COLUMNS FROM t). */
  kind: 'database' | 'table' | 'index' | 'partition' | 'range' | 'cluster' | 'all-databases' | 'object';
  name?: QualifiedName;
  /** `t@i`: the index. */
  index?: Name;
  /** PARTITION p OF …: the partition. */
  partition?: Name;
}

/** SHOW …, read far enough to answer it. Unknown forms keep their words in `subject`. */
export interface Show extends Span {
  /**
   * What is shown, lower-cased with single spaces: `ranges`, `zone configuration`, `zone
   * configurations`, `regions`, `survival goal`, `tables`, `indexes` (also INDEX, KEYS),
   * `columns`, `create`, `databases`, `cluster setting`, `cluster settings`, `transaction
   * isolation level`, `last query statistics`, … For SHOW <variable>, the variable's name.
   */
  subject: string;
  /** SHOW ALL … (zone configurations, cluster settings). */
  all: boolean;
  /** SHOW CREATE TABLE / VIEW / …: the kind written after CREATE (`table` when none is); `all tables` for SHOW CREATE ALL TABLES. */
  objectKind?: string;
  target?: ShowTarget;
  /** WITH options, lower-cased (SHOW RANGES … WITH DETAILS, KEYS; WITH COMMENT). */
  options: string[];
  /** SHOW CLUSTER SETTING name, or SHOW name alone: the dotted, lower-cased name. */
  variable?: string;
  /** What follows the forms above, unread: a form the parser does not know. */
  trailing?: Span;
  /** SHOW GRANTS ON …: the objects. */
  grantsOn?: PrivilegeTarget;
  /** SHOW GRANTS ON ROLE [roles]: role memberships (no roles: every role). */
  grantsOnRoles?: Name[];
  /** SHOW GRANTS … FOR users. */
  grantsFor?: Name[];
}

/** DROP …: what it drops. */
export interface Drop extends Span {
  /** Lower-cased object words: `table`, `database`, `index`, `view`, `materialized view`, `sequence`, … */
  object: string;
  ifExists: boolean;
  names: (Span & { name: QualifiedName; index?: Name })[];
  behavior?: 'cascade' | 'restrict';
}

/** GRANT / REVOKE … ON DATABASE names TO | FROM grantees. */
export interface GrantOnDatabase extends Span {
  revoke: boolean;
  databases: Name[];
  /** The privileges as written. */
  privileges: Span;
  /** Everything after TO / FROM, as written. */
  grantees: Span;
}

/** The objects GRANT / REVOKE / SHOW GRANTS name, all of one kind (TABLE when none is written). */
export interface PrivilegeTarget extends Span {
  kind: 'database' | 'schema' | 'table' | 'type' | 'all-tables-in-schema';
  names: QualifiedName[];
}

/** GRANT / REVOKE privileges ON objects, or GRANT / REVOKE roles (no ON) to members. */
export interface Grant extends Span {
  revoke: boolean;
  /** The privileges (ALL PRIVILEGES read as ALL), or the roles granted when there is no `on`. */
  names: Name[];
  on?: PrivilegeTarget;
  grantees: Name[];
  /** WITH GRANT / ADMIN OPTION; on REVOKE, GRANT / ADMIN OPTION FOR. */
  option: boolean;
}

/** A statement the parser classifies without a full tree. */
export interface OtherStatement extends Span {
  type: 'other';
  kind: StatementKind;
  /** The statement's leading keywords, lower-cased, e.g. `create view`. */
  keywords: string;
  /** Function names called anywhere in the statement, lower-cased (for compatibility rules). */
  calls: (Span & { name: string })[];
  show?: Show;
  drop?: Drop;
  /** INSERT / UPSERT INTO, UPDATE, DELETE FROM: the table written. */
  target?: QualifiedName;
  grantOnDatabase?: GrantOnDatabase;
  grant?: Grant;
  /** EXPLAIN ANALYZE (also EXPLAIN (ANALYZE, …)): runs the statement. */
  explainAnalyze?: boolean;
  /** ALTER INDEX t@i PARTITION BY …: the index (`name`, `index`) and its new partitioning. */
  alterIndexPartitionBy?: { target: ZoneTarget; partitionBy: PartitionBy };
  /** ALTER INDEX [IF EXISTS] t@i | i | db.s.i RENAME TO j. */
  alterIndexRename?: { target: ZoneTarget; to: Name };
  /** Not used: RENAME COLUMN is an alter-table command. */
  renameColumn?: never;
}

export type Statement =
  | CreateTable
  | CreateIndex
  | AlterTable
  | CreateDatabase
  | AlterDatabase
  | AlterZone
  | CreateSequence
  | CreateRole
  | Begin
  | SetTransaction
  | SetVariable
  | Use
  | CreateExtension
  | OtherStatement;

export interface SyntaxError extends Span {
  message: string;
}

export interface ParsedStatement extends Span {
  /** Unique per parse: the schema model fingerprints its entries with the ids that shaped them. */
  id: number;
  statement: Statement;
  errors: SyntaxError[];
  /** Every function call in the statement (defaults, checks, queries), lower-cased. */
  calls: (Span & { name: string })[];
}
