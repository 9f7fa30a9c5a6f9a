// The one PGlite instance that holds the simulated cluster's data. A fresh PGlite runs initdb
// (seconds); a prepared data directory loads in well under one, so the first start prepares one
// (with the bootstrap below applied) and keeps it in the user's cache for every later start.
// With a store, the engine lives in a directory instead: a new store is the prepared data
// directory unpacked there, and every commit is written through before it is acknowledged.
import { PGlite, type PGliteOptions } from '@electric-sql/pglite';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BOOTSTRAP_SQL } from './bootstrap';
import { CLOCK_SQL } from './history';
import { CREATE_METADATA_TABLE } from './metadata';

export interface EngineOptions {
  /** Where prepared data directories are kept; defaults to the user's cache. */
  cacheDir?: string;
  /** A directory that keeps the engine's data across restarts; without it the engine is in memory. */
  storeDir?: string;
}

/** The user's cache folder for crdb-studio ($CRDB_STUDIO_CACHE, else XDG_CACHE_HOME or ~/.cache). */
export function defaultCacheDir(): string {
  return process.env.CRDB_STUDIO_CACHE ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'crdb-studio');
}

// A small buffer pool: the simulator's data is lesson-sized, and each MB here is resident.
const CONFIG = ['shared_buffers=8MB', 'max_connections=8', 'fsync=off', 'synchronous_commit=off'];
// A store's commits must reach the files before the client hears of them: single-user PostgreSQL
// has no WAL writer to flush an asynchronous commit later, so one would be lost with the process.
// Written is enough for a killed process; PGlite runs without fsync, so a power loss is not covered.
const STORE_CONFIG = ['shared_buffers=8MB', 'max_connections=8', 'synchronous_commit=on'];

function version(): string {
  const manifest = (() => {
    try {
      return JSON.parse(readFileSync(require.resolve('@electric-sql/pglite/package.json'), 'utf8')) as { version?: string };
    } catch {
      return {};
    }
  })();
  return manifest.version ?? 'bundled';
}

/**
 * PGlite finds its WebAssembly and file-system bundle beside its own module. Inside our bundles
 * (dist/) that module is gone, so the build copies the three files to dist/pglite/ and they are
 * handed over explicitly.
 */
async function bundledAssets(): Promise<PGliteOptions> {
  const folder = path.join(__dirname, '..', 'pglite');
  if (!existsSync(path.join(folder, 'pglite.wasm'))) return {};
  const [pgliteWasmModule, initdbWasmModule] = await Promise.all([
    WebAssembly.compile(readFileSync(path.join(folder, 'pglite.wasm'))),
    WebAssembly.compile(readFileSync(path.join(folder, 'initdb.wasm'))),
  ]);
  return { pgliteWasmModule, initdbWasmModule, fsBundle: new Blob([readFileSync(path.join(folder, 'pglite.data'))]) };
}

export async function openEngine(options: EngineOptions = {}): Promise<PGlite> {
  const assets = await bundledAssets();
  const engine =
    options.storeDir !== undefined
      ? await openStore(options.storeDir, options.cacheDir ?? defaultCacheDir(), assets)
      : (await preparedDataDir(options.cacheDir ?? defaultCacheDir(), assets)).db;
  await engine.exec(CLOCK_SQL);
  return engine;
}

/**
 * An in-memory engine on the bootstrapped data directory, and that directory as a tarball (from
 * the cache, or made now: undefined when it could not be).
 */
async function preparedDataDir(cacheDir: string, assets: PGliteOptions): Promise<{ dump: Blob | undefined; db: PGlite }> {
  const key = createHash('sha256').update(version()).update(CONFIG.join('\n')).update(BOOTSTRAP_SQL).digest('hex').slice(0, 16);
  const prepared = path.join(cacheDir, `pglite-${key}.tar.gz`);
  const postgresqlconf = CONFIG;
  if (existsSync(prepared)) {
    try {
      const dump = new Blob([readFileSync(prepared)]);
      const db = await PGlite.create({ ...assets, postgresqlconf, loadDataDir: dump });
      const ok = (await db.query(`SELECT 1 FROM pg_namespace WHERE nspname = 'crdb_internal'`)).rows.length === 1;
      if (ok) return { dump, db };
      await db.close();
    } catch {
      // A damaged cache file: prepare a new one below.
    }
  }
  const db = await PGlite.create({ ...assets, postgresqlconf });
  await db.exec(BOOTSTRAP_SQL);
  let dump: Blob | undefined;
  try {
    // The dump copies data files: what the bootstrap wrote must be on them first.
    await db.exec('CHECKPOINT');
    dump = await db.dumpDataDir('gzip');
    mkdirSync(cacheDir, { recursive: true });
    const temporary = `${prepared}.${process.pid}.tmp`;
    writeFileSync(temporary, Buffer.from(await dump.arrayBuffer()));
    renameSync(temporary, prepared);
  } catch {
    // No writable cache: every start pays for initdb, nothing else is lost.
  }
  return { dump, db };
}

/**
 * The engine in `storeDir`/pgdata. A new store is unpacked beside it and renamed into place once
 * complete, so a kill during the first start leaves no half-made data directory to open later.
 */
async function openStore(storeDir: string, cacheDir: string, assets: PGliteOptions): Promise<PGlite> {
  const dataDir = path.join(storeDir, 'pgdata');
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    const prepared = await preparedDataDir(cacheDir, assets);
    await prepared.db.close();
    if (!prepared.dump) throw new Error('could not prepare the engine’s data directory for the store');
    const unpacking = path.join(storeDir, `pgdata.${process.pid}.new`);
    rmSync(unpacking, { recursive: true, force: true });
    mkdirSync(unpacking, { recursive: true });
    const fresh = await PGlite.create({ ...assets, dataDir: unpacking, postgresqlconf: STORE_CONFIG, loadDataDir: prepared.dump });
    await fresh.exec(CREATE_METADATA_TABLE);
    await fresh.close();
    rmSync(dataDir, { recursive: true, force: true });
    renameSync(unpacking, dataDir);
  }
  const engine = await PGlite.create({ ...assets, dataDir, postgresqlconf: STORE_CONFIG });
  // A store made before root was an engine role gets it: every session runs as its user's role.
  await engine.exec(
    `DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'root') THEN CREATE ROLE root SUPERUSER LOGIN; GRANT admin TO root WITH ADMIN OPTION; END IF; END $$`,
  );
  return engine;
}
