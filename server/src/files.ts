// Walks a folder tree for files, skipping folders the caller names (node_modules, .git, …)
// and unreadable entries, up to a limit. Shared by the language server and the CLI.
import { readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';

export function walkFiles(
  root: string,
  keepFile: (file: string) => boolean,
  skipFolder: (name: string) => boolean,
  limit = Number.POSITIVE_INFINITY,
): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch {
      return;
    }
    for (const name of names) {
      if (found.length >= limit) return;
      const full = path.join(dir, name);
      let directory: boolean;
      try {
        directory = statSync(full).isDirectory();
      } catch {
        continue;
      }
      if (directory) {
        if (!skipFolder(name)) walk(full);
      } else if (keepFile(full)) found.push(full);
    }
  };
  walk(root);
  return found;
}
