import * as assert from 'node:assert/strict';
import { nodeLocalityText, parseNodeLocality, tableLocalityText } from '../../../sql/src/locality';
import { quoteIdent, resolveName } from '../../../sql/src/names';

describe('names', () => {
  it('quotes an identifier only when CockroachDB would not read it back unchanged', () => {
    assert.equal(quoteIdent('rides'), 'rides');
    assert.equal(quoteIdent('_x1$'), '_x1$');
    assert.equal(quoteIdent('Rides'), '"Rides"');
    assert.equal(quoteIdent('us-east1'), '"us-east1"');
    assert.equal(quoteIdent('1st'), '"1st"');
    assert.equal(quoteIdent('user'), '"user"');
    assert.equal(quoteIdent('table'), '"table"');
    assert.equal(quoteIdent('a"b'), '"a""b"');
    assert.equal(quoteIdent(''), '""');
  });

  it('resolves 1-, 2- and 3-part names as CockroachDB does', () => {
    const databases = new Set(['defaultdb', 'movr', 'public']);
    const isDatabase = (name: string): boolean => databases.has(name);
    assert.deepEqual(resolveName(['t'], 'movr', isDatabase), { database: 'movr', schema: 'public', name: 't' });
    // A schema of the current database wins over a database of the same name.
    assert.deepEqual(resolveName(['public', 't'], 'movr', isDatabase), { database: 'movr', schema: 'public', name: 't' });
    assert.deepEqual(resolveName(['defaultdb', 't'], 'movr', isDatabase), { database: 'defaultdb', schema: 'public', name: 't' });
    assert.deepEqual(resolveName(['crdb_internal', 'ranges'], 'movr', isDatabase), {
      database: 'movr',
      schema: 'crdb_internal',
      name: 'ranges',
    });
    assert.deepEqual(resolveName(['nowhere', 't'], 'movr', isDatabase), { database: 'movr', schema: 'nowhere', name: 't' });
    assert.deepEqual(resolveName(['d', 'public', 't'], 'movr', isDatabase), { database: 'd', schema: 'public', name: 't' });
  });
});

describe('locality', () => {
  it('prints a table locality as SHOW CREATE TABLE does', () => {
    assert.equal(tableLocalityText({ kind: 'global' }), 'GLOBAL');
    assert.equal(tableLocalityText({ kind: 'regional-by-table' }), 'REGIONAL BY TABLE IN PRIMARY REGION');
    assert.equal(tableLocalityText({ kind: 'regional-by-table', region: 'us-east1' }), 'REGIONAL BY TABLE IN "us-east1"');
    assert.equal(tableLocalityText({ kind: 'regional-by-row' }), 'REGIONAL BY ROW');
    assert.equal(tableLocalityText({ kind: 'regional-by-row', as: 'region' }), 'REGIONAL BY ROW AS region');
    assert.equal(tableLocalityText({ kind: 'regional-by-row', as: 'Home' }), 'REGIONAL BY ROW AS "Home"');
  });

  it('prints and reads node localities', () => {
    assert.equal(nodeLocalityText({ region: 'us-east1', zone: 'b' }), 'region=us-east1,az=b');
    assert.deepEqual(parseNodeLocality('cloud=gce,region=us-east1,zone=us-east1-b'), { region: 'us-east1', zone: 'us-east1-b' });
    assert.deepEqual(parseNodeLocality(null), { region: '', zone: '' });
  });
});
