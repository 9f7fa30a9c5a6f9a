// What CockroachDB rejects, the simulated cluster rejects with CockroachDB's SQLSTATE and words.
import * as assert from 'node:assert/strict';
import { Simulator } from '../../../cluster/src/simulator';
import type { Session } from '../../../cluster/src/sql/session';
import { exec, fails, rows } from './sqlSupport';

describe('simulated cluster: multi-region errors', function () {
  let simulator: Simulator;
  let session: Session;

  before(async () => {
    simulator = await Simulator.start({ global: true });
    session = simulator.openSession();
    await exec(session, 'CREATE DATABASE plain', 'CREATE DATABASE mr PRIMARY REGION "us-east1" REGIONS "us-west1"');
  });
  after(async () => {
    await simulator.close();
  });

  it('ADD REGION before a primary region', async () => {
    const error = await fails(session, 'ALTER DATABASE plain ADD REGION "us-west1"', '42P12');
    assert.equal(error.message, 'cannot add region "us-west1" to database plain');
    assert.equal(error.hint, 'you must add a PRIMARY REGION first using ALTER DATABASE plain PRIMARY REGION "us-west1"');
  });

  it('a region the cluster does not have', async () => {
    const error = await fails(session, 'CREATE DATABASE nowhere PRIMARY REGION "mars-north1"', '42602');
    assert.equal(error.message, 'region "mars-north1" does not exist');
    assert.equal(error.hint, 'valid regions: europe-west1, us-east1, us-west1');
  });

  it('SURVIVE REGION FAILURE with fewer than three regions', async () => {
    const error = await fails(session, 'ALTER DATABASE mr SURVIVE REGION FAILURE', '22023');
    assert.equal(error.message, 'at least 3 regions are required for surviving a region failure');
    await fails(session, 'CREATE DATABASE two PRIMARY REGION "us-east1" REGIONS "us-west1" SURVIVE REGION FAILURE', '22023');
  });

  it('LOCALITY in a database that is not multi-region', async () => {
    const error = await fails(session, 'CREATE TABLE plain.t (id INT PRIMARY KEY) LOCALITY GLOBAL', '42P16');
    assert.equal(error.message, 'cannot set LOCALITY on a table in a database that is not multi-region enabled');
  });

  it('REGIONAL BY TABLE IN a region the database lacks', async () => {
    const error = await fails(session, 'CREATE TABLE mr.t (id INT PRIMARY KEY) LOCALITY REGIONAL BY TABLE IN "europe-west1"', '42P16');
    assert.match(error.message, /invalid locality config: region "europe-west1" has not been added to database "mr"$/);
    assert.equal(error.hint, 'available regions: us-east1, us-west1');
  });

  it('dropping the primary region while others remain, and a region not added', async () => {
    const error = await fails(session, 'ALTER DATABASE mr DROP REGION "us-east1"', '42P12');
    assert.equal(error.message, 'cannot drop region "us-east1"');
    await fails(session, 'ALTER DATABASE mr DROP REGION "europe-west1"', '42704');
    const skipped = await rows(session, 'ALTER DATABASE mr DROP REGION IF EXISTS "europe-west1"');
    assert.deepEqual(skipped, []);
  });

  it('adding a region twice', async () => {
    const error = await fails(session, 'ALTER DATABASE mr ADD REGION "us-west1"', '42710');
    assert.equal(error.message, 'region "us-west1" already added to database');
  });

  it('PARTITION BY on a multi-region table', async () => {
    const error = await fails(
      session,
      `CREATE TABLE mr.p (id INT PRIMARY KEY, r STRING) PARTITION BY LIST (r) (PARTITION a VALUES IN ('a')) LOCALITY REGIONAL BY ROW`,
      '0A000',
    );
    assert.equal(error.message, 'multi-region tables containing PARTITION BY are not supported');
  });

  it('REGIONAL BY ROW AS a column that is not a crdb_internal_region', async () => {
    const error = await fails(session, 'CREATE TABLE mr.r (id INT PRIMARY KEY, home STRING) LOCALITY REGIONAL BY ROW AS home', '42P16');
    assert.equal(error.message, 'cannot use column home which has type STRING in REGIONAL BY ROW');
    await fails(session, 'CREATE TABLE mr.r2 (id INT PRIMARY KEY) LOCALITY REGIONAL BY ROW AS nothere', '42703');
  });

  it('unknown databases and cluster settings', async () => {
    const error = await fails(session, 'USE nope', '3D000');
    assert.equal(error.message, 'database "nope" does not exist');
    const setting = await fails(session, 'SET CLUSTER SETTING no.such.setting = 1', '42P02');
    assert.equal(setting.message, "unknown cluster setting 'no.such.setting'");
  });

  it('what it does not simulate fails plainly, never answers wrongly', async () => {
    const error = await fails(session, 'BACKUP INTO "nodelocal://1/b"', '0A000');
    assert.match(error.message, /not supported by the simulated cluster/);
    await fails(session, 'SHOW SCHEDULES', '0A000');
  });
});
