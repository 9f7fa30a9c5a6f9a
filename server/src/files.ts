// Walks a folder tree for files, skipping folders the caller names (node_modules, .git, …)
// and unreadable entries, up to a limit. Shared by the language server and the CLI.
// Symbolic links are followed, but each real folder is walked once and each real file found
// once: a link back to an ancestor would otherwise recurse until the path grows too long (one
// link) or forever (two links).
import { readdirSync, realpathSync, statSync, type Dirent } from 'node:fs';
import * as path from 'node:path';

/** A folder reached a second time through a link (a loop, or a second way to the same folder). */
export interface SkippedLink {
  /** The path as walked. */
  path: string;
  /** Where the same folder was walked first. */
  walkedAs: string;
}

export function walkFiles(
  root: string,
  keepFile: (file: string) => boolean,
  skipFolder: (name: string) => boolean,
  limit = Number.POSITIVE_INFINITY,
  onSkippedLink?: (skipped: SkippedLink) => void,
): string[] {
  const found: string[] = [];
  const walkedFolders = new Map<string, string>();
  const foundFiles = new Set<string>();
  const walk = (dir: string): void => {
    let real: string;
    try {
      real = realpathSync(dir);
    } catch {
      return;
    }
    const walkedAs = walkedFolders.get(real);
    if (walkedAs !== undefined) {
      onSkippedLink?.({ path: dir, walkedAs });
      return;
    }
    walkedFolders.set(real, dir);
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    } catch {
      return;
    }
    for (const entry of entries) {
      if (found.length >= limit) return;
      const full = path.join(dir, entry.name);
      let directory = entry.isDirectory();
      let realFile = path.join(real, entry.name);
      if (entry.isSymbolicLink() || (!entry.isFile() && !entry.isDirectory())) {
        try {
          directory = statSync(full).isDirectory();
          realFile = realpathSync(full);
        } catch {
          continue; // a dangling link, or gone since
        }
      }
      if (directory) {
        if (!skipFolder(entry.name)) walk(full);
      } else if (!foundFiles.has(realFile) && keepFile(full)) {
        foundFiles.add(realFile);
        found.push(full);
      }
    }
  };
  walk(root);
  return found;
}
