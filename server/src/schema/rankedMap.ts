// A Map whose iteration order is the order a replay of the statements in file order would give,
// even when statements are undone and made again out of that order (an edit in a lint session
// makes again only the statements it reaches): each key is ordered by where the statement that
// inserted it stands, or, without one, by when it was inserted (as a Map does). The order is
// sorted when the map is iterated after a key came or went, not on every change: a keystroke's
// lint never iterates the model's maps.

/** Where a statement stands in the file being linted: its live offset plus its start within it. */
export interface Rank {
  readonly at: { readonly offset: number };
  readonly start: number;
}

/** A key's place: ranked keys after unranked ones (those come from before the file), then by insertion. */
export interface Order {
  readonly rank: Rank | undefined;
  readonly seq: number;
}

let nextSeq = 0;

function compare(a: Order, b: Order): number {
  const ra = a.rank === undefined ? -1 : a.rank.at.offset + a.rank.start;
  const rb = b.rank === undefined ? -1 : b.rank.at.offset + b.rank.start;
  return ra - rb || a.seq - b.seq;
}

export class RankedMap<K, V> extends Map<K, V> {
  private orders: Map<K, Order> | undefined;
  /** The keys in order, until a key comes or goes. */
  private sorted: K[] | undefined;

  private ordersOf(): Map<K, Order> {
    this.orders ??= new Map();
    return this.orders;
  }

  /** The key's place, to give back to it when an undo puts it back (see restore). */
  orderOf(key: K): Order | undefined {
    return this.orders?.get(key);
  }

  /** Sets (or, for undefined, deletes) an entry; a new key takes its place from `rank`, else from now. */
  put(key: K, value: V | undefined, rank?: Rank): void {
    if (value === undefined) {
      this.delete(key);
      return;
    }
    if (!super.has(key)) {
      this.ordersOf().set(key, { rank, seq: nextSeq++ });
      this.sorted = undefined;
    }
    super.set(key, value);
  }

  /** Puts back an entry as it was (an undo): its value and its place, or its absence. */
  restore(key: K, value: V | undefined, order: Order | undefined): void {
    if (value === undefined || order === undefined) {
      this.delete(key);
      if (value !== undefined) this.put(key, value);
      return;
    }
    if (!super.has(key) || this.orders?.get(key) !== order) this.sorted = undefined;
    this.ordersOf().set(key, order);
    super.set(key, value);
  }

  override set(key: K, value: V): this {
    this.put(key, value);
    return this;
  }

  override delete(key: K): boolean {
    if (!super.delete(key)) return false;
    this.orders?.delete(key);
    this.sorted = undefined;
    return true;
  }

  override clear(): void {
    super.clear();
    this.orders?.clear();
    this.sorted = undefined;
  }

  private order(): K[] {
    if (!this.sorted) {
      const keys = [...super.keys()];
      const orders = this.ordersOf();
      const missing: Order = { rank: undefined, seq: -1 };
      keys.sort((a, b) => compare(orders.get(a) ?? missing, orders.get(b) ?? missing));
      this.sorted = keys;
    }
    return this.sorted;
  }

  override *keys(): MapIterator<K> {
    yield* this.order();
  }

  override *values(): MapIterator<V> {
    for (const key of this.order()) yield super.get(key) as V;
  }

  override *entries(): MapIterator<[K, V]> {
    for (const key of this.order()) yield [key, super.get(key) as V];
  }

  override [Symbol.iterator](): MapIterator<[K, V]> {
    return this.entries();
  }

  override forEach(callback: (value: V, key: K, map: Map<K, V>) => void, thisArg?: unknown): void {
    for (const key of this.order()) callback.call(thisArg, super.get(key) as V, key, this);
  }
}
