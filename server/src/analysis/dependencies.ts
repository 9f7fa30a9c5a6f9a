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

function remove<T extends KeyUser>(list: T[], user: T): void {
  // Among statements at the same position (none while the index is consistent), by identity.
  for (let i = after(list, user.at) - 1; i >= 0 && (list[i] as KeyUser).at === user.at; i--) {
    if (list[i] === user) {
      list.splice(i, 1);
      return;
    }
  }
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
