// Expands the CLI's file arguments: plain paths as given, globs (*, **, ?, [..]) by walking from
// their fixed prefix, sorted. Node 20 has no fs.glob; this covers what shells leave unexpanded.
import * as path from 'node:path';
import { walkFiles } from '../../server/src/files';

const MAGIC = /[*?[]/;

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
        pattern += glob.slice(i, close + 1);
        i = close;
      }
    } else pattern += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${pattern}$`);
}

export function expandGlob(argument: string): string[] {
  if (!MAGIC.test(argument)) return [argument];
  const normalized = argument.split(path.sep).join('/');
  const parts = normalized.split('/');
  const fixed: string[] = [];
  for (const part of parts) {
    if (MAGIC.test(part)) break;
    fixed.push(part);
  }
  const base = fixed.join('/') || '.';
  const matcher = toRegExp(normalized);
  const found = walkFiles(
    base,
    (file) => matcher.test(file.split(path.sep).join('/')),
    (name) => name === 'node_modules' || name === '.git',
  );
  return found.sort();
}
