// The one PGlite instance that holds the simulated cluster's data. A fresh PGlite runs initdb
// (seconds); a prepared data directory loads in well under one, so the first start prepares one
// (with the bootstrap below applied) and keeps it in the user's cache for every later start.
import { PGlite, type PGliteOptions } from '@electric-sql/pglite';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BOOTSTRAP_SQL } from './bootstrap';

export interface EngineOptions {
  /** Where prepared data directories are kept; defaults to the user's cache. */
  cacheDir?: string;
}

/** The user's cache folder for crdb-studio ($CRDB_STUDIO_CACHE, else XDG_CACHE_HOME or ~/.cache). */
export function defaultCacheDir(): string {
  return process.env.CRDB_STUDIO_CACHE ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'crdb-studio');
}

// A small buffer pool: the simulator's data is lesson-sized, and each MB here is resident.
const CONFIG = ['shared_buffers=8MB', 'max_connections=8', 'fsync=off', 'synchronous_commit=off'];

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
  const cacheDir = options.cacheDir ?? defaultCacheDir();
  const key = createHash('sha256').update(version()).update(CONFIG.join('\n')).update(BOOTSTRAP_SQL).digest('hex').slice(0, 16);
  const prepared = path.join(cacheDir, `pglite-${key}.tar.gz`);
  const assets = await bundledAssets();
  const postgresqlconf = CONFIG;
  if (existsSync(prepared)) {
    try {
      const db = await PGlite.create({ ...assets, postgresqlconf, loadDataDir: new Blob([readFileSync(prepared)]) });
      if ((await db.query(`SELECT 1 FROM pg_namespace WHERE nspname = 'crdb_internal'`)).rows.length === 1) return db;
      await db.close();
    } catch {
      // A damaged cache file: prepare a new one below.
    }
  }
  const db = await PGlite.create({ ...assets, postgresqlconf });
  await db.exec(BOOTSTRAP_SQL);
  try {
    // The dump copies data files: what the bootstrap wrote must be on them first.
    await db.exec('CHECKPOINT');
    const dump = await db.dumpDataDir('gzip');
    mkdirSync(cacheDir, { recursive: true });
    const temporary = `${prepared}.${process.pid}.tmp`;
    writeFileSync(temporary, Buffer.from(await dump.arrayBuffer()));
    renameSync(temporary, prepared);
  } catch {
    // No writable cache: every start pays for initdb, nothing else is lost.
  }
  return db;
}
