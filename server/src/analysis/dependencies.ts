// Which statements of a lint session use and change which model keys, in file order: after an
// edit, the statements that must be undone and made again are found from the keys the edited
// statements use and change, without walking the statements in between.
import type { KeyState } from '../schema/model';

/** A statement as the index knows it: where it stands, the keys it uses (reads or changes) and changes. */
export interface KeyUser {
  at: number;
  uses: readonly KeyState[];
  writes: readonly KeyState[];
}

interface Users<T extends KeyUser> {
  /** Statements that read or changed the key, by position. */
  users: T[];
  /** Statements that changed it, by position. */
  writers: T[];
}

/** The first index of `list` (sorted by `at`) whose statement stands after `at`. */
function after(list: readonly KeyUser[], at: number): number {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((list[middle] as KeyUser).at <= at) low = middle + 1;
    else high = middle;
  }
  return low;
}

function insert<T extends KeyUser>(list: T[], user: T): void {
  const at = after(list, user.at);
  if (at === list.length) list.push(user);
  else list.splice(at, 0, user);
}

/** Where `user` is in `list`, or -1: among statements at the same position (none while the index is consistent), by identity. */
function indexOf<T extends KeyUser>(list: readonly T[], user: T): number {
  for (let i = after(list, user.at) - 1; i >= 0 && (list[i] as KeyUser).at === user.at; i--) if (list[i] === user) return i;
  return -1;
}

function remove<T extends KeyUser>(list: T[], user: T): void {
  const i = indexOf(list, user);
  if (i !== -1) list.splice(i, 1);
}

/** How many times `key` is in `keys` (a statement uses a few keys: a loop, no map to allocate). */
function count(keys: readonly KeyState[], key: KeyState): number {
  let n = 0;
  for (let i = 0; i < keys.length; i++) if (keys[i] === key) n++;
  return n;
}

/** Whether `key` is in `keys` before index `end` (it was handled there already). */
function seenBefore(keys: readonly KeyState[], key: KeyState, end: number): boolean {
  for (let i = 0; i < end; i++) if (keys[i] === key) return true;
  return false;
}

export class KeyIndex<T extends KeyUser> {
  private readonly byKey = new Map<KeyState, Users<T>>();

  private usersOf(key: KeyState): Users<T> {
    let users = this.byKey.get(key);
    if (!users) {
      users = { users: [], writers: [] };
      this.byKey.set(key, users);
    }
    return users;
  }

  add(user: T): void {
    for (const key of user.uses) insert(this.usersOf(key).users, user);
    for (const key of user.writes) insert(this.usersOf(key).writers, user);
  }

  delete(user: T): void {
    for (const key of user.uses) {
      const users = this.byKey.get(key);
      if (users) remove(users.users, user);
    }
    for (const key of user.writes) {
      const users = this.byKey.get(key);
      if (users) remove(users.writers, user);
    }
  }

  /**
   * `previous` (filed under its `uses` and `writes`) filed as `current`, at the same position,
   * under `uses` and `writes` instead. Under a key both have, `current` takes `previous`'s place in
   * the list: a statement made again is not spliced out of and back into the lists of the keys
   * every statement uses (tens of thousands long in a large file).
   */
  replace(previous: T, current: T, uses: readonly KeyState[], writes: readonly KeyState[]): void {
    this.refile(previous, current, previous.uses, uses, 'users');
    this.refile(previous, current, previous.writes, writes, 'writers');
  }

  private refile(previous: T, current: T, before: readonly KeyState[], now: readonly KeyState[], kind: keyof Users<T>): void {
    // The loops below are quadratic in a statement's keys: a statement with many is taken out and put back.
    if (before.length + now.length > 64) {
      for (const key of before) {
        const list = this.byKey.get(key)?.[kind];
        if (list) remove(list, previous);
      }
      for (const key of now) insert(this.usersOf(key)[kind], current);
      return;
    }
    for (let b = 0; b < before.length; b++) {
      const key = before[b] as KeyState;
      if (seenBefore(before, key, b)) continue;
      const list = this.byKey.get(key)?.[kind];
      if (!list) continue;
      const had = count(before, key);
      const kept = Math.min(had, count(now, key));
      for (let k = 0; k < had; k++) {
        if (k >= kept) remove(list, previous);
        else if (previous !== current) {
          const i = indexOf(list, previous);
          if (i !== -1) list[i] = current;
        }
      }
    }
    for (let n = 0; n < now.length; n++) {
      const key = now[n] as KeyState;
      if (seenBefore(now, key, n)) continue;
      for (let k = count(before, key); k < count(now, key); k++) insert(this.usersOf(key)[kind], current);
    }
  }

  /**
   * Calls `visit` for every statement after `user` that conflicts with it: one that uses a key
   * `user` changes, or changes a key `user` uses. Such a statement must be undone before `user`
   * is made again (and made again after it). A statement may be visited more than once.
   */
  conflictsAfter(user: KeyUser, visit: (other: T) => void): void {
    for (const key of user.writes) {
      const list = this.byKey.get(key)?.users;
      if (list) for (let i = after(list, user.at); i < list.length; i++) visit(list[i] as T);
    }
    for (const key of user.uses) {
      const list = this.byKey.get(key)?.writers;
      if (list) for (let i = after(list, user.at); i < list.length; i++) visit(list[i] as T);
    }
  }

  /** The statements that changed `key`, by position. */
  writersOf(key: KeyState): readonly T[] {
    return this.byKey.get(key)?.writers ?? [];
  }
}
