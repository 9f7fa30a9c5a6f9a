// Expands the CLI's file arguments: plain paths as given, globs (*, **, ?, [..]) by walking from
// their fixed prefix, sorted. Node 20 has no fs.glob; this covers what shells leave unexpanded.
// Links are followed; a folder reached again through a link (a loop) is skipped and said once.
import * as path from 'node:path';
import { walkFiles, type SkippedLink } from '../../server/src/files';
import { isGlobPattern } from './lintArguments';
import { writeStderr } from './output';

/** A glob the CLI cannot read (a usage error, not an internal one). */
export class GlobSyntaxError extends Error {
  override name = 'GlobSyntaxError';
}

/** The body of a [..] class, checked the way RegExp would reject it, with a message a user can act on. */
function checkClass(glob: string, body: string): void {
  for (let i = 0; i + 2 < body.length; i++) {
    if (body[i + 1] !== '-' || body[i] === '\\') continue;
    const from = body[i] ?? '';
    const to = body[i + 2] ?? '';
    if (from > to)
      throw new GlobSyntaxError(`invalid pattern '${glob}': the range ${from}-${to} in [${body}] runs backwards (write [${to}-${from}])`);
    i += 2;
  }
}

function toRegExp(glob: string): RegExp {
  let pattern = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] ?? '';
    if (c === '*') {
      if (glob[i + 1] === '*') {
        const slash = glob[i + 2] === '/';
        pattern += slash ? '(?:.*/)?' : '.*';
        i += slash ? 2 : 1;
      } else pattern += '[^/]*';
    } else if (c === '?') pattern += '[^/]';
    else if (c === '[') {
      const close = glob.indexOf(']', i);
      if (close === -1) pattern += '\\[';
      else {
        checkClass(glob, glob.slice(i + 1, close));
        pattern += glob.slice(i, close + 1);
        i = close;
      }
    } else pattern += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  try {
    return new RegExp(`^${pattern}$`);
  } catch (error) {
    throw new GlobSyntaxError(`invalid pattern '${glob}': ${error instanceof Error ? error.message : String(error)}`);
  }
}

function sayLoop(skipped: SkippedLink): void {
  writeStderr(`crdb-studio: skipping ${skipped.path}: a link to ${skipped.walkedAs}, already searched\n`);
}

export function expandGlob(argument: string, onSkippedLink: (skipped: SkippedLink) => void = sayLoop): string[] {
  if (!isGlobPattern(argument)) return [argument];
  const normalized = argument.split(path.sep).join('/');
  const parts = normalized.split('/');
  const fixed: string[] = [];
  for (const part of parts) {
    if (isGlobPattern(part)) break;
    fixed.push(part);
  }
  const base = fixed.join('/') || '.';
  const matcher = toRegExp(normalized);
  const found = walkFiles(
    base,
    (file) => matcher.test(file.split(path.sep).join('/')),
    (name) => name === 'node_modules' || name === '.git',
    undefined,
    onSkippedLink,
  );
  return found.sort();
}
