// Simulated time and seeded randomness: the model never reads the wall clock or Math.random, so a
// scenario replays identically from the same seed and the same calls.

interface Entry {
  at: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

/** A discrete-event clock: callbacks run in time order (ties in scheduling order) as time advances. */
export class SimClock {
  private current = 0;
  private seq = 0;
  private readonly heap: Entry[] = [];
  // Cancelled events stay in the heap, flagged, until they surface.
  private readonly pending = new Map<number, Entry>();

  now(): number {
    return this.current;
  }

  /** Runs `fn` once simulated time reaches `atMs` (at once on the next advance if already past). */
  schedule(atMs: number, fn: () => void): number {
    const id = ++this.seq;
    const entry: Entry = { at: Math.max(atMs, this.current), seq: id, fn, cancelled: false };
    this.pending.set(id, entry);
    this.push(entry);
    return id;
  }

  cancel(id: number): void {
    const entry = this.pending.get(id);
    if (entry === undefined) return;
    entry.cancelled = true;
    this.pending.delete(id);
  }

  advanceTo(ms: number): void {
    for (;;) {
      const top = this.peek();
      if (top === undefined || top.at > ms) break;
      this.pop();
      this.pending.delete(top.seq);
      this.current = top.at;
      top.fn();
    }
    if (ms > this.current) this.current = ms;
  }

  advanceBy(ms: number): void {
    this.advanceTo(this.current + ms);
  }

  nextEventAt(): number | undefined {
    return this.peek()?.at;
  }

  /** The top live entry, discarding cancelled ones on the way. */
  private peek(): Entry | undefined {
    for (;;) {
      const top = this.heap[0];
      if (top === undefined) return undefined;
      if (!top.cancelled) return top;
      this.pop();
    }
  }

  private push(entry: Entry): void {
    const heap = this.heap;
    heap.push(entry);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent] as Entry;
      if (!before(entry, p)) break;
      heap[i] = p;
      i = parent;
    }
    heap[i] = entry;
  }

  private pop(): void {
    const heap = this.heap;
    const last = heap.pop();
    if (last === undefined || heap.length === 0) return;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= heap.length) break;
      const r = l + 1;
      let child = l;
      if (r < heap.length && before(heap[r] as Entry, heap[l] as Entry)) child = r;
      const c = heap[child] as Entry;
      if (!before(c, last)) break;
      heap[i] = c;
      i = child;
    }
    heap[i] = last;
  }
}

function before(a: Entry, b: Entry): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}

/** mulberry32: tiny, fast and good enough for tie-breaking and timeouts; fully determined by the seed. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
}
