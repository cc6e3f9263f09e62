/**
 * The order records of one kind were created in, as a number per key.
 *
 * Reads used to filter a whole map, so they came out in the map's insertion order, which is
 * creation order. Reads through an {@link OwnerIndex} must come out the same, and an owner's set
 * loses that order as soon as a record moves in from another owner (a linked identity, a merge):
 * sorting by this puts it back.
 */
export class CreationOrder {
  #next = 0;
  readonly #ordinals = new Map<string, number>();

  /** Records `key` as the newest. */
  add(key: string): void {
    this.#ordinals.set(key, this.#next);
    this.#next += 1;
  }

  delete(key: string): void {
    this.#ordinals.delete(key);
  }

  /** Negative when `a` was created before `b`: a comparator for `Array.prototype.sort`. */
  readonly compare = (a: string, b: string): number =>
    (this.#ordinals.get(a) ?? 0) - (this.#ordinals.get(b) ?? 0);

  /** How many keys it holds (as many as the records it orders). */
  get size(): number {
    return this.#ordinals.size;
  }

  /** Sorts `keys` in place, oldest first, and returns them. */
  sort(keys: string[]): string[] {
    return keys.length < 2 ? keys : keys.sort(this.compare);
  }
}

const EMPTY: ReadonlySet<string> = new Set();

/**
 * Record keys grouped by the id of what owns them (a user, a thread), so "everything of user X"
 * is one lookup instead of a scan of every user's records. Writers keep it in step with the
 * records themselves; an owner with no keys left has no entry, so erased and merged users leave
 * nothing behind.
 */
export class OwnerIndex {
  readonly #groups = new Map<string, Set<string>>();

  add(owner: string, key: string): void {
    const group = this.#groups.get(owner);
    if (group === undefined) this.#groups.set(owner, new Set([key]));
    else group.add(key);
  }

  delete(owner: string, key: string): void {
    const group = this.#groups.get(owner);
    if (group === undefined) return;
    group.delete(key);
    if (group.size === 0) this.#groups.delete(owner);
  }

  /** Moves one key from one owner to another (an identity linked to another user). */
  move(key: string, from: string, to: string): void {
    if (from === to) return;
    this.delete(from, key);
    this.add(to, key);
  }

  /** Moves every key of `from` to `to` (a merge). */
  moveAll(from: string, to: string): void {
    const moving = this.#groups.get(from);
    if (moving === undefined || from === to) return;
    this.#groups.delete(from);
    const target = this.#groups.get(to);
    if (target === undefined) this.#groups.set(to, moving);
    else for (const key of moving) target.add(key);
  }

  /** Every owner that has keys. */
  owners(): IterableIterator<string> {
    return this.#groups.keys();
  }

  /** The keys `owner` has now, unordered (see {@link CreationOrder}). Do not mutate the result. */
  keys(owner: string): ReadonlySet<string> {
    return this.#groups.get(owner) ?? EMPTY;
  }
}
