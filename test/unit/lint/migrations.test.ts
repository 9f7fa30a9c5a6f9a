// Migrations, file by file: the schema model follows every DDL statement, and findings about the
// schema's shape are judged where each file ends, on the statement of that file that last shaped
// the object. The CLI (LintSequence) and the editor (lintFile with the files before) agree.
import * as assert from 'node:assert/strict';
import { documentStatements } from '../../../server/src/analysis/statements';
import { defaultConfig, readConfig, type LintConfig } from '../../../server/src/lint/config';
import { buildModel, LintSequence, lintFile, newModel, type LintFinding, type SourceFile } from '../../../server/src/lint/engine';
import type { SchemaModel } from '../../../server/src/schema/model';

function source(uri: string, text: string): SourceFile {
  return { uri, text, statements: documentStatements(text) };
}

/** Each file's findings as `rule «text it points at»`, linted in order as the CLI does; checked against lintFile. */
function lintMigrations(texts: string[], config: LintConfig = defaultConfig()): string[][] {
  const sequence = new LintSequence(config);
  const before: SourceFile[] = [];
  return texts.map((text, i) => {
    const file = source(`file:///migrations/${String(i + 1).padStart(3, '0')}.sql`, text);
    const findings = sequence.lint(file);
    assert.deepEqual(findings, lintFile(file, before, config), `file ${i + 1}: the editor finds what the CLI finds`);
    before.push(file);
    return located(findings, text);
  });
}

function located(findings: LintFinding[], text: string): string[] {
  return findings.map((f) => `${f.rule} «${text.slice(f.start, f.end)}»`);
}

function modelOf(...texts: string[]): SchemaModel {
  return buildModel(texts.map((text, i) => source(`file:///${i}.sql`, text)));
}

function indexNames(model: SchemaModel, table: string): string[] {
  return (model.findTable(table)?.indexes ?? []).map((index) => `${index.name ?? '?'} (${index.columns.join(', ')})`);
}

describe('migration-aware lint', () => {
  it('a column an earlier file dropped or renamed is not there for a later one; a table the model cannot know whole is not judged', () => {
    const only = (files: string[][]): string[][] => files.map((f) => f.filter((x) => x.startsWith('column-not-in-table')));
    assert.deepEqual(
      only(
        lintMigrations([
          'CREATE TABLE users (id UUID PRIMARY KEY DEFAULT gen_random_uuid(), name STRING, legacy STRING);',
          'ALTER TABLE users RENAME COLUMN name TO full_name;\nALTER TABLE users DROP COLUMN legacy;',
          'CREATE INDEX ON users (name);\nALTER TABLE users DROP COLUMN legacy;\nALTER TABLE users DROP COLUMN IF EXISTS legacy;',
        ]),
      ),
      [[], [], ['column-not-in-table «name»', 'column-not-in-table «legacy»']],
    );
    // A dump of the final schema read before the migrations that built it: their columns differ.
    assert.deepEqual(
      only(
        lintMigrations([
          'CREATE TABLE users (id UUID PRIMARY KEY, full_name STRING);',
          'CREATE TABLE IF NOT EXISTS users (id UUID PRIMARY KEY, name STRING, legacy STRING);\nALTER TABLE users DROP COLUMN legacy;',
        ]),
      ),
      [[], []],
    );
    // An ALTER TABLE the parser could not read whole may have added what the next one drops.
    assert.deepEqual(
      only(
        lintMigrations([
          'CREATE TABLE notes (id INT8 PRIMARY KEY);',
          'ALTER TABLE notes ADD COLUMN body STRING DEFAULT (;',
          'ALTER TABLE notes DROP COLUMN body;',
        ]),
      ),
      [[], [], []],
    );
    assert.equal(
      modelOf('CREATE TABLE notes (id INT8 PRIMARY KEY);', 'ALTER TABLE notes ADD COLUMN body STRING DEFAULT (;').findTable('notes')
        ?.columnsKnown,
      false,
    );
    assert.equal(
      modelOf('CREATE TABLE notes (id INT8 PRIMARY KEY);', 'ALTER TABLE notes ADD COLUMN body STRING;').findTable('notes')?.columnsKnown,
      true,
    );
  });

  it('DROP COLUMN IF EXISTS of a column an earlier file never gave the table is a guard, not a break (as DROP TABLE IF EXISTS)', () => {
    const create = 'CREATE TABLE groups (id UUID PRIMARY KEY DEFAULT gen_random_uuid(), name STRING, is_active BOOL);';
    const drops = 'ALTER TABLE groups DROP COLUMN IF EXISTS github_org;\nALTER TABLE groups DROP COLUMN IF EXISTS is_active;';
    const [, second] = lintMigrations([create, drops]);
    assert.deepEqual(
      second?.filter((f) => f.startsWith('breaking-schema-change')),
      ['breaking-schema-change «DROP COLUMN IF EXISTS is_active»'],
    );
  });

  it('judges an index by what the file leaves: a replacement created and the old one dropped is not redundant', () => {
    assert.deepEqual(
      lintMigrations([
        'CREATE TABLE x (id UUID PRIMARY KEY DEFAULT gen_random_uuid(), nid INT8, at TIMESTAMPTZ);\nCREATE INDEX x_nid_idx ON x (nid);\n',
        'CREATE INDEX x_nid_at_idx ON x (nid, at);\nDROP INDEX x_nid_idx;\n',
      ]),
      [[], []],
    );
  });

  it('reports a shape finding in the file that caused it, on its statement, and not again in later files', () => {
    assert.deepEqual(
      lintMigrations([
        'CREATE TABLE x (id UUID PRIMARY KEY DEFAULT gen_random_uuid(), nid INT8, at TIMESTAMPTZ);\nCREATE INDEX x_nid_idx ON x (nid);\n',
        'CREATE INDEX x_nid_at_idx ON x (nid, at);\n',
        'ALTER TABLE x ADD COLUMN note STRING;\n',
        'DROP INDEX x@x_nid_idx;\n',
      ]),
      [[], ['redundant-index «x_nid_at_idx»'], [], []],
    );
  });

  it('never calls an index redundant with itself after ALTER INDEX … RENAME', () => {
    assert.deepEqual(
      lintMigrations([
        'CREATE TABLE x (id UUID PRIMARY KEY DEFAULT gen_random_uuid(), nid INT8, at TIMESTAMPTZ);\nCREATE INDEX x_nid_at_idx ON x (nid, at);\n',
        'ALTER INDEX x@x_nid_at_idx RENAME TO x_deleteme;\nCREATE INDEX x_nid_at_idx ON x (nid, at, id);\nDROP INDEX x_deleteme;\n',
      ]),
      [[], []],
    );
  });

  it('does not take a plain index for a prefix of a USING HASH one', () => {
    assert.deepEqual(
      lintMigrations([
        'CREATE TABLE t (id UUID PRIMARY KEY DEFAULT gen_random_uuid(), at TIMESTAMPTZ);\nCREATE INDEX t_at_hash ON t (at) USING HASH;\nCREATE INDEX t_at ON t (at);\n',
      ]),
      [[]],
    );
  });

  it('drops missing-locality and the region column hint once the file sets REGIONAL BY ROW', () => {
    const database = 'CREATE DATABASE movr PRIMARY REGION "us-east1" REGIONS "us-west1";\nUSE movr;\n';
    const table = 'CREATE TABLE users (id UUID PRIMARY KEY DEFAULT gen_random_uuid(), region crdb_internal_region NOT NULL);\n';
    assert.deepEqual(lintMigrations([database + table + 'ALTER TABLE users SET LOCALITY REGIONAL BY ROW AS region;\n']), [[]]);
    assert.deepEqual(lintMigrations([database + table]), [['missing-locality «users»', 'region-column-not-regional-by-row «region»']]);
    // Judged where each migration ends: a later file settles it for the files after, not for the one before.
    assert.deepEqual(lintMigrations([database + table, 'ALTER TABLE users SET LOCALITY REGIONAL BY ROW AS region;\n']), [
      ['missing-locality «users»', 'region-column-not-regional-by-row «region»'],
      [],
    ]);
  });

  it('flags a primary key dropped and not added back in the same file', () => {
    const create = 'CREATE TABLE t (id UUID PRIMARY KEY DEFAULT gen_random_uuid(), code STRING NOT NULL);\n';
    assert.deepEqual(
      lintMigrations([create, 'ALTER TABLE t DROP CONSTRAINT t_pkey;\nALTER TABLE t ADD CONSTRAINT t_pkey PRIMARY KEY (code);\n']),
      [[], []],
    );
    assert.deepEqual(lintMigrations([create, 'ALTER TABLE t DROP CONSTRAINT t_pkey;\n']), [
      [],
      ['missing-primary-key «ALTER TABLE t DROP CONSTRAINT t_pkey»'],
    ]);
  });
});

/** A SHOW CREATE ALL TABLES dump of a multi-region database: no database DDL, localities and region columns. */
const DUMP = `CREATE TABLE public.users (
    id UUID NOT NULL DEFAULT gen_random_uuid(),
    city VARCHAR NOT NULL,
    name VARCHAR NULL,
    crdb_region public.crdb_internal_region NOT VISIBLE NOT NULL DEFAULT default_to_database_primary_region(gateway_region())::public.crdb_internal_region,
    CONSTRAINT users_pkey PRIMARY KEY (id ASC)
) LOCALITY REGIONAL BY ROW;
CREATE TABLE public.promo_codes (
    code VARCHAR NOT NULL,
    description VARCHAR NULL,
    CONSTRAINT promo_codes_pkey PRIMARY KEY (code ASC)
) LOCALITY GLOBAL;
CREATE TABLE public.vehicles (
    id UUID NOT NULL DEFAULT gen_random_uuid(),
    city VARCHAR NOT NULL,
    owner_id UUID NULL,
    crdb_region public.crdb_internal_region NOT VISIBLE NOT NULL DEFAULT default_to_database_primary_region(gateway_region())::public.crdb_internal_region,
    CONSTRAINT vehicles_pkey PRIMARY KEY (id ASC),
    INDEX vehicles_auto_index_fk_owner_id_ref_users (owner_id ASC)
) LOCALITY REGIONAL BY ROW;
CREATE TABLE public.rides (
    id UUID NOT NULL DEFAULT gen_random_uuid(),
    city VARCHAR NOT NULL,
    CONSTRAINT rides_pkey PRIMARY KEY (id ASC)
) LOCALITY REGIONAL BY TABLE IN "europe-west1";
CREATE TABLE public.audit (id UUID NOT NULL DEFAULT gen_random_uuid(), CONSTRAINT audit_pkey PRIMARY KEY (id ASC));
`;

describe('a database whose DDL lives elsewhere', () => {
  it('gets no errors from a SHOW CREATE ALL TABLES dump, only a hint saying what was assumed', () => {
    const [findings] = lintMigrations([DUMP]);
    assert.deepEqual(findings, ['assumed-multi-region-database «LOCALITY REGIONAL BY ROW»']);
  });

  it('is checked against what .crdb-studio.json declares', () => {
    const { config, problems } = readConfig({
      databases: { defaultdb: { regions: ['us-east1', 'us-west1'], primaryRegion: 'us-east1', survivalGoal: 'zone' } },
    });
    assert.deepEqual(problems, []);
    const [findings] = lintMigrations([DUMP], config);
    assert.deepEqual(findings, ['region-not-in-database «"europe-west1"»', 'missing-locality «public.audit»']);
    const model = newModel(config);
    assert.equal(model.database('defaultdb')?.primaryRegion, 'us-east1');
    assert.deepEqual([...(model.database('defaultdb')?.regions ?? [])], ['us-east1', 'us-west1']);
  });

  it('still errors on LOCALITY in a database the files create without regions', () => {
    const [findings] = lintMigrations([
      'CREATE DATABASE scratch;\nCREATE TABLE scratch.t (id UUID PRIMARY KEY DEFAULT gen_random_uuid()) LOCALITY GLOBAL;\n',
    ]);
    assert.deepEqual(findings, ['locality-without-primary-region «LOCALITY GLOBAL»']);
  });

  it('declared without regions, a database is not multi-region', () => {
    const { config } = readConfig({ databases: { scratch: {} } });
    const [findings] = lintMigrations(
      ['CREATE TABLE scratch.public.t (id UUID PRIMARY KEY DEFAULT gen_random_uuid()) LOCALITY GLOBAL;\n'],
      config,
    );
    assert.deepEqual(findings, ['locality-without-primary-region «LOCALITY GLOBAL»']);
  });
});

describe('schema model follows DDL', () => {
  const base =
    'CREATE TABLE x (id UUID PRIMARY KEY, nid INT8, email STRING UNIQUE, at TIMESTAMPTZ, INDEX (at));\nCREATE INDEX x_nid_idx ON x (nid);\n';

  it('names unnamed indexes as CockroachDB does and drops indexes by t@i, i and db.t@i', () => {
    assert.deepEqual(indexNames(modelOf(base), 'x'), ['x_email_key (email)', 'x_at_idx (at)', 'x_nid_idx (nid)']);
    assert.deepEqual(indexNames(modelOf(base, 'DROP INDEX x@x_at_idx;'), 'x'), ['x_email_key (email)', 'x_nid_idx (nid)']);
    assert.deepEqual(indexNames(modelOf(base, 'DROP INDEX IF EXISTS x_nid_idx, nothing_idx;'), 'x'), [
      'x_email_key (email)',
      'x_at_idx (at)',
    ]);
    assert.deepEqual(indexNames(modelOf(base, 'DROP INDEX defaultdb.x@x_nid_idx;'), 'x'), ['x_email_key (email)', 'x_at_idx (at)']);
    assert.deepEqual(indexNames(modelOf(base, 'ALTER TABLE x DROP CONSTRAINT x_email_key;'), 'x'), ['x_at_idx (at)', 'x_nid_idx (nid)']);
  });

  it('renames indexes, columns and tables', () => {
    const model = modelOf(
      base,
      'ALTER INDEX x@x_nid_idx RENAME TO x_by_nid;\nALTER TABLE x RENAME COLUMN nid TO node_id;\nALTER TABLE x RENAME TO things;\n',
    );
    assert.equal(model.findTable('x'), undefined);
    assert.deepEqual(indexNames(model, 'things'), ['x_email_key (email)', 'x_at_idx (at)', 'x_by_nid (node_id)']);
    assert.deepEqual([...(model.findTable('things')?.columns.keys() ?? [])], ['id', 'node_id', 'email', 'at']);
  });

  it('drops a column with the indexes keyed on it, and a table with DROP TABLE', () => {
    assert.deepEqual(indexNames(modelOf(base, 'ALTER TABLE x DROP COLUMN nid;'), 'x'), ['x_email_key (email)', 'x_at_idx (at)']);
    assert.equal(modelOf(base, 'DROP TABLE IF EXISTS x CASCADE;').findTable('x'), undefined);
  });

  it('follows ALTER COLUMN and primary key changes', () => {
    const model = modelOf(
      base,
      [
        'ALTER TABLE x ALTER COLUMN nid SET NOT NULL;',
        'ALTER TABLE x ALTER COLUMN nid TYPE INT4;',
        'ALTER TABLE x ALTER COLUMN id SET DEFAULT gen_random_uuid();',
        'ALTER TABLE x ALTER PRIMARY KEY USING COLUMNS (nid);',
      ].join('\n'),
    );
    const table = model.findTable('x');
    assert.ok(table);
    const nid = table.columns.get('nid');
    assert.equal(nid?.type, 'int4');
    assert.equal(nid.notNull, true);
    const id = table.columns.get('id');
    assert.equal(id?.default?.call, 'gen_random_uuid');
    assert.deepEqual(table.primaryKey, ['nid']);
    // ALTER PRIMARY KEY keeps the old key as a UNIQUE index.
    assert.deepEqual(indexNames(model, 'x').at(-1), 'x_id_key (id)');
    const dropped = modelOf(base, 'ALTER TABLE x ALTER COLUMN id DROP DEFAULT;\nALTER TABLE x DROP CONSTRAINT "primary";').findTable('x');
    assert.equal(dropped?.primaryIndex, undefined);
  });

  it('ALTER PRIMARY KEY keeps the old key as a UNIQUE index exactly when CockroachDB does', () => {
    const after = (create: string, alter: string): string[] => indexNames(modelOf(create, alter), 't');
    const keyed = 'CREATE TABLE t (id UUID PRIMARY KEY, tenant_id UUID NOT NULL, a INT8 NOT NULL);';
    // A new key that starts with another column: each id must stay unique on its own.
    assert.deepEqual(after(keyed, 'ALTER TABLE t ALTER PRIMARY KEY USING COLUMNS (tenant_id, id);'), ['t_id_key (id)']);
    // The same columns in another order or direction are another key.
    assert.deepEqual(after(keyed, 'ALTER TABLE t ALTER PRIMARY KEY USING COLUMNS (id DESC);'), ['t_id_key (id)']);
    const pair = 'CREATE TABLE t (a INT8 NOT NULL, b INT8 NOT NULL, PRIMARY KEY (a, b));';
    assert.deepEqual(after(pair, 'ALTER TABLE t ALTER PRIMARY KEY USING COLUMNS (b, a);'), ['t_a_b_key (a, b)']);
    // The same key hash-sharded (or with other buckets) is the same key.
    assert.deepEqual(after(keyed, 'ALTER TABLE t ALTER PRIMARY KEY USING COLUMNS (id) USING HASH;'), []);
    // A unique index that already has the old key's columns is not made twice.
    assert.deepEqual(
      after(
        'CREATE TABLE t (id UUID PRIMARY KEY, a INT8 NOT NULL, UNIQUE INDEX t_id_unique (id));',
        'ALTER TABLE t ALTER PRIMARY KEY USING COLUMNS (a);',
      ),
      ['t_id_unique (id)'],
    );
    // The hidden rowid key is not kept.
    assert.deepEqual(after('CREATE TABLE t (id UUID NOT NULL, a INT8);', 'ALTER TABLE t ALTER PRIMARY KEY USING COLUMNS (id);'), []);
  });

  it('ADD CONSTRAINT IF NOT EXISTS leaves a table that has a constraint of that name as it is', () => {
    const create =
      'CREATE TABLE p (id UUID PRIMARY KEY);\nCREATE TABLE t (id UUID PRIMARY KEY, a INT8 NOT NULL, p UUID, CONSTRAINT t_a_key UNIQUE (a));';
    assert.deepEqual(indexNames(modelOf(create, 'ALTER TABLE t ADD CONSTRAINT IF NOT EXISTS t_a_key UNIQUE (a);'), 't'), ['t_a_key (a)']);
    // Any constraint of that name: a unique index named so is one, whatever its columns.
    assert.deepEqual(indexNames(modelOf(create, 'ALTER TABLE t ADD CONSTRAINT IF NOT EXISTS t_a_key UNIQUE (p);'), 't'), ['t_a_key (a)']);
    // Without one of that name, it is added.
    assert.deepEqual(indexNames(modelOf(create, 'ALTER TABLE t ADD CONSTRAINT IF NOT EXISTS t_p_key UNIQUE (p);'), 't'), [
      't_a_key (a)',
      't_p_key (p)',
    ]);
    const foreignKeys = (alter: string): (string | undefined)[] =>
      (
        modelOf(create, 'ALTER TABLE t ADD CONSTRAINT t_p_fk FOREIGN KEY (p) REFERENCES p (id);', alter).findTable('t')?.foreignKeys ?? []
      ).map((fk) => fk.name);
    assert.deepEqual(foreignKeys('ALTER TABLE t ADD CONSTRAINT IF NOT EXISTS t_p_fk FOREIGN KEY (p) REFERENCES p (id);'), ['t_p_fk']);
    assert.deepEqual(foreignKeys('ALTER TABLE t ADD CONSTRAINT t_p_fk2 FOREIGN KEY (p) REFERENCES p (id);'), ['t_p_fk', 't_p_fk2']);
    // A migration that may run twice: no index redundant with itself (CLI and editor alike).
    assert.deepEqual(lintMigrations([create, 'ALTER TABLE t ADD CONSTRAINT IF NOT EXISTS t_a_key UNIQUE (a);']), [[], []]);
  });

  it('tells which columns of which files reference a column (to change their type with it)', () => {
    const model = buildModel([
      source('file:///001.sql', 'CREATE TABLE users (id INT8 PRIMARY KEY, name STRING);\n'),
      source(
        'file:///002.sql',
        'CREATE TABLE rides (id UUID PRIMARY KEY, rider INT8 REFERENCES users (id), driver INT8 REFERENCES users);\n',
      ),
      source(
        'file:///003.sql',
        'CREATE TABLE reviews (id UUID PRIMARY KEY, author INT8);\nALTER TABLE reviews ADD CONSTRAINT reviews_author_fk FOREIGN KEY (author) REFERENCES users (id);\n',
      ),
      source(
        'file:///004.sql',
        'ALTER TABLE reviews ADD COLUMN editor INT8 REFERENCES users (id);\nALTER TABLE rides RENAME COLUMN driver TO chauffeur;\n',
      ),
    ]);
    const references = model.referencesTo('defaultdb', 'users', 'id').map((r) => ({
      table: r.table.name,
      column: r.column,
      definedIn: r.definedAt?.uri,
      declaredIn: r.declaredAt.uri,
      type: r.definition?.type?.name,
    }));
    assert.deepEqual(references, [
      { table: 'rides', column: 'rider', definedIn: 'file:///002.sql', declaredIn: 'file:///002.sql', type: 'int8' },
      { table: 'rides', column: 'chauffeur', definedIn: 'file:///002.sql', declaredIn: 'file:///002.sql', type: 'int8' },
      { table: 'reviews', column: 'author', definedIn: 'file:///003.sql', declaredIn: 'file:///003.sql', type: 'int8' },
      { table: 'reviews', column: 'editor', definedIn: 'file:///004.sql', declaredIn: 'file:///004.sql', type: 'int8' },
    ]);
    assert.deepEqual(model.referencesTo('defaultdb', 'users', 'name'), []);
  });
});
