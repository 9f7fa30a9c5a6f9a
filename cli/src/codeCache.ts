// Loads a CommonJS bundle with a V8 code cache kept in the user's cache directory, so that a
// short command (lint of a small file) does not parse and compile the bundle and the functions it
// runs again on every start. The cache is made after the command ran, so it also holds the
// functions V8 compiled lazily while it ran (Node's own module.enableCompileCache() keeps only
// what was compiled up front, and Node 20 has none).
//
// A cache holds only the functions that ran before it was made: one made by a lint of an empty or
// tiny file lacks most of the rules' and the parser's, which a later, larger lint compiles again at
// every start. So the file records how much work made it (a lint: its input's bytes), and a run
// that did much more than that writes it again (outgrows): a few rewrites at most, as the size
// recorded at least quadruples each time and stops mattering from 64 KiB of input.
//
// Safety: V8 checks its own version, flags and the source's length, not the source itself, so
// the file also records which bundle it was made from (size and modification time, as Python's
// .pyc files do) and the Node that made it, and a checksum of its payload; anything that does not
// match is ignored and replaced. Writes go to a temporary file renamed into place, so a reader
// never sees half a file. Every failure of the cache falls back to compiling without it.
import { closeSync, fstatSync, mkdirSync, openSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vm from 'node:vm';

/** The first bytes of a cache file: format and version of this layout. */
const MAGIC = 'crdb-studio-v8-cache-3\n';
/**
 * MAGIC, then (uint32 LE each) the payload's checksum and length, the key's length and the work
 * that made the cache; then the key, zeros up to a multiple of 8 bytes, and the payload.
 */
const HEADER_BYTES = MAGIC.length + 16;

/**
 * Where the payload starts: aligned, so that the checksum reads it in place (a file read whole
 * starts at offset 0 of its buffer) instead of copying it first, ~1 ms for 240 KB.
 */
function payloadOffset(keyBytes: number): number {
  return (HEADER_BYTES + keyBytes + 7) & ~7;
}

/** The environment variable that moves the cache (a directory) or turns it off (`off`). */
export const CODE_CACHE_ENV = 'CRDB_STUDIO_CODE_CACHE';

/**
 * The user's home: from the environment when it says, else from the system (node:os is loaded
 * only then: each module a start-up loads costs it time).
 */
function homeDirectory(env: NodeJS.ProcessEnv): string {
  const home = process.platform === 'win32' ? env.USERPROFILE : env.HOME;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return home && path.isAbsolute(home) ? home : (require('node:os') as typeof import('node:os')).homedir();
}

/** Where a user's caches go on this platform (XDG on Linux and the BSDs). */
export function userCacheDirectory(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = homeDirectory(env),
): string {
  if (platform === 'win32') return path.join(env.LOCALAPPDATA ?? path.join(home, 'AppData', 'Local'), 'crdb-studio', 'Cache');
  if (platform === 'darwin') return path.join(home, 'Library', 'Caches', 'crdb-studio');
  const xdg = env.XDG_CACHE_HOME;
  return path.join(xdg && path.isAbsolute(xdg) ? xdg : path.join(home, '.cache'), 'crdb-studio');
}

/** The directory the code cache lives in, or undefined when CRDB_STUDIO_CODE_CACHE=off. */
export function codeCacheDirectory(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const setting = env[CODE_CACHE_ENV];
  if (setting === 'off') return undefined;
  return setting ? path.resolve(setting) : userCacheDirectory(env);
}

/** Words apart the checksum reads (every 256th byte), and the words at the end it reads all of. */
const CHECKSUM_STRIDE = 64;
const CHECKSUM_TAIL = 64;

/**
 * A checksum of the payload (FNV-1a over 32-bit words): of every 64th word and of the last 64
 * words and bytes, which tells a file cut short, overwritten or of another format. It reads a
 * sample, not every byte: a whole-file loop costs milliseconds before it is compiled, and
 * node:crypto or node:zlib cost more than the cache saves to load. The words are read through a
 * Uint32Array (one element load each in the interpreter, where a start runs this), in the
 * platform's byte order: a cache is only ever read on the machine that wrote it.
 */
export function checksum(bytes: Uint8Array): number {
  // A view needs 4-byte alignment: an unaligned payload is copied (into a buffer of its own).
  const aligned = bytes.byteOffset % 4 === 0 ? bytes : new Uint8Array(bytes);
  const word = new Uint32Array(aligned.buffer, aligned.byteOffset, aligned.length >>> 2);
  const words = word.length;
  let hash = 0x811c9dc5;
  const tail = Math.max(0, words - CHECKSUM_TAIL);
  for (let i = 0; i < tail; i += CHECKSUM_STRIDE) hash = Math.imul(hash ^ (word[i] ?? 0), 0x01000193);
  for (let i = tail; i < words; i++) hash = Math.imul(hash ^ (word[i] ?? 0), 0x01000193);
  for (let i = words * 4; i < aligned.length; i++) hash = Math.imul(hash ^ (aligned[i] ?? 0), 0x01000193);
  return Math.imul(hash ^ aligned.length, 0x01000193) >>> 0;
}

/** A run that did this many times the work of the run that made the cache writes it again… */
const REMAKE_FACTOR = 4;
/** …unless that run's work was already this much: a lint of 64 KiB runs nearly all of the CLI's code. */
const REMAKE_BELOW = 64 * 1024;

/** Whether a run that did `work` should write again a cache that a run of `madeBy` made. */
export function outgrows(madeBy: number, work: number): boolean {
  return madeBy < REMAKE_BELOW && work >= REMAKE_FACTOR * Math.max(madeBy, 1);
}

/** The cache file's contents: the header, the key, the payload; `work`: how much the run that made it did. */
export function encodeCacheFile(key: string, payload: Uint8Array, work: number): Buffer {
  const keyBytes = Buffer.from(key, 'utf8');
  const offset = payloadOffset(keyBytes.length);
  const file = Buffer.alloc(offset + payload.length);
  file.write(MAGIC, 0, 'latin1');
  file.writeUInt32LE(checksum(payload), MAGIC.length);
  file.writeUInt32LE(payload.length, MAGIC.length + 4);
  file.writeUInt32LE(keyBytes.length, MAGIC.length + 8);
  file.writeUInt32LE(Math.min(Math.max(Math.floor(work), 0), 0xffffffff), MAGIC.length + 12);
  keyBytes.copy(file, HEADER_BYTES);
  file.set(payload, offset);
  return file;
}

/** The payload of a cache file made for `key` and the work that made it, or undefined when it is another's, damaged or cut short. */
export function decodeCacheFile(file: Buffer, key: string): { payload: Buffer; work: number } | undefined {
  if (file.length < HEADER_BYTES || file.toString('latin1', 0, MAGIC.length) !== MAGIC) return undefined;
  const sum = file.readUInt32LE(MAGIC.length);
  const payloadLength = file.readUInt32LE(MAGIC.length + 4);
  const keyLength = file.readUInt32LE(MAGIC.length + 8);
  const work = file.readUInt32LE(MAGIC.length + 12);
  const offset = payloadOffset(keyLength);
  if (offset + payloadLength !== file.length) return undefined;
  if (file.toString('utf8', HEADER_BYTES, HEADER_BYTES + keyLength) !== key) return undefined;
  const payload = file.subarray(offset);
  return checksum(payload) === sum ? { payload, work } : undefined;
}

/** What the cache file must have been made from: this bundle as it is on disk, and this Node. */
function cacheKey(size: number, modified: number): string {
  return `${size} ${modified} ${process.version} ${process.arch} ${process.versions.v8}`;
}

/** How a load went, for tests and for deciding whether to write the cache. */
export type CacheState = 'off' | 'used' | 'missing' | 'stale' | 'rejected';

export interface LoadedBundle {
  exports: unknown;
  state: CacheState;
  /**
   * Writes the cache when the load could not use one, or when this run's `work` (the caller's
   * measure: a lint's input bytes) outgrows the work that made it. Call it after the work the
   * cache is for ran, so that the cache holds the functions that work compiled; never throws.
   */
  saveCache(work?: number): void;
}

/**
 * The file's text, and its size and modification time as of the same open file. Read as UTF-8
 * straight into a string (Node reads and decodes it natively; an ASCII text makes a one-byte
 * string): no buffer to fill and copy first, whose fresh pages cost a start-up more than the
 * decoding (Node 20: 182 KB ~0.5 ms less).
 */
function readWhole(file: string): { text: string; size: number; modified: number } {
  const fd = openSync(file, 'r');
  try {
    const stat = fstatSync(fd);
    return { text: readFileSync(fd, 'utf8'), size: stat.size, modified: stat.mtimeMs };
  } finally {
    closeSync(fd);
  }
}

function readCache(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/** Writes `bytes` to `file` through a temporary file in the same directory, renamed into place. */
function writeAtomically(file: string, bytes: Uint8Array): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, bytes, { mode: 0o600 });
    renameSync(temporary, file);
  } catch (error) {
    try {
      unlinkSync(temporary);
    } catch {
      // Never written.
    }
    throw error;
  }
}

/**
 * Runs the CommonJS bundle `bundleFile` as a module (its own require, module and __dirname), with
 * the code cache in `cacheDirectory` (undefined: without one). `requireBeside`: a require that
 * resolves from the bundle's folder (the caller's own, when it lives there), else one is made.
 * `flagsName` names the V8 flags the process runs under when they are not the usual ones: their
 * cache has a file of its own, as V8 refuses a cache made under other flags.
 */
export function loadBundle(
  bundleFile: string,
  cacheDirectory: string | undefined,
  requireBeside?: NodeJS.Require,
  flagsName?: string,
): LoadedBundle {
  const bundle = readWhole(bundleFile);
  let source = bundle.text;
  // A shebang line is for the shell; the module wrapper would make it a syntax error.
  if (source.startsWith('#!')) source = `//${source.slice(2)}`;
  const key = cacheKey(bundle.size, bundle.modified);
  const cacheFile = cacheDirectory
    ? path.join(
        cacheDirectory,
        `${path.basename(bundleFile, '.js')}-${process.version}-${process.arch}${flagsName ? `-${flagsName}` : ''}.v8cache`,
      )
    : undefined;
  const stored = cacheFile ? readCache(cacheFile) : undefined;
  const decoded = stored ? decodeCacheFile(stored, key) : undefined;
  const cachedData = decoded?.payload;
  // Node's module wrapper (Module.wrap), written out: loading node:module costs start-up time.
  const wrapped = `(function (exports, require, module, __filename, __dirname) { ${source}\n});`;
  const script = new vm.Script(wrapped, { filename: bundleFile, cachedData });
  const state: CacheState = !cacheFile
    ? 'off'
    : !stored
      ? 'missing'
      : !cachedData
        ? 'stale'
        : script.cachedDataRejected === true
          ? 'rejected'
          : 'used';

  // What the bundle sees as its module: its exports, and a require that resolves beside it.
  const module = { exports: {} as unknown, filename: bundleFile, id: bundleFile, loaded: false };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const bundleRequire = requireBeside ?? (require('node:module') as typeof import('node:module')).createRequire(bundleFile);
  const wrapper = script.runInThisContext() as (
    exports: unknown,
    require: NodeJS.Require,
    module: unknown,
    filename: string,
    dirname: string,
  ) => void;
  wrapper.call(module.exports, module.exports, bundleRequire, module, bundleFile, path.dirname(bundleFile));
  module.loaded = true;

  return {
    exports: module.exports,
    state,
    saveCache(work = 0) {
      if (!cacheFile || (state === 'used' && !outgrows(decoded?.work ?? 0, work))) return;
      try {
        // A used cache's functions were all compiled in this run (deserialized): the new one keeps them.
        writeAtomically(cacheFile, encodeCacheFile(key, script.createCachedData(), Math.max(work, decoded?.work ?? 0)));
      } catch {
        // A cache that cannot be written (read-only home, full disk) only costs the next start.
      }
    },
  };
}
