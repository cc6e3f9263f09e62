import { type Connection, webChatAddress } from './connection';

/**
 * Who a frame is for: a user (every socket they have open), or one address when no user is known.
 * Addresses are looked up in the core's stored form, whatever spelling the route carries.
 */
export interface Route {
  userId?: string;
  address?: string;
}

const byUser = (userId: string) => `u:${userId}`;
const byAddress = (address: string) => `a:${address}`;
const NONE: ReadonlySet<Connection> = new Set();

/** The open sockets on this instance, found by user and by address. */
export class ConnectionRegistry {
  readonly #index = new Map<string, Set<Connection>>();
  readonly #all = new Set<Connection>();

  #keys(connection: Connection): string[] {
    const keys = [byAddress(connection.address)];
    if (connection.userId !== undefined) keys.push(byUser(connection.userId));
    return keys;
  }

  add(connection: Connection): void {
    this.#all.add(connection);
    for (const key of this.#keys(connection)) {
      const set = this.#index.get(key) ?? new Set<Connection>();
      set.add(connection);
      this.#index.set(key, set);
    }
  }

  remove(connection: Connection): void {
    this.#all.delete(connection);
    for (const key of this.#keys(connection)) {
      const set = this.#index.get(key);
      set?.delete(connection);
      if (set?.size === 0) this.#index.delete(key);
    }
  }

  /** How many sockets the visitor's user (or, without one, address) has open here. */
  countFor(connection: Connection): number {
    const key =
      connection.userId === undefined ? byAddress(connection.address) : byUser(connection.userId);
    return this.#index.get(key)?.size ?? 0;
  }

  /**
   * Every socket the route reaches, each once. Usually the user's own set (a visitor's address
   * names the same sockets as their user), returned as it is rather than copied: this runs for
   * every frame sent, and callers only iterate it. A socket found by address whose connection
   * belongs to another user is never included: the core refuses a second user on one address
   * (`AddressTakenError`), and this keeps a frame from crossing users even if two first contacts
   * raced for the address.
   */
  find(route: Route): ReadonlySet<Connection> {
    const { userId } = route;
    const ofUser = userId === undefined ? undefined : this.#index.get(byUser(userId));
    const ofAddress =
      route.address === undefined
        ? undefined
        : this.#index.get(byAddress(webChatAddress(route.address)));
    if (ofAddress === undefined) return ofUser ?? NONE;
    if (userId === undefined) return ofAddress;
    let extra: Connection[] | undefined;
    for (const connection of ofAddress) {
      if (ofUser?.has(connection)) continue;
      if (connection.userId !== undefined && connection.userId !== userId) continue;
      extra ??= [];
      extra.push(connection);
    }
    if (extra === undefined) return ofUser ?? NONE;
    return new Set([...(ofUser ?? []), ...extra]);
  }

  all(): Connection[] {
    return [...this.#all];
  }

  get size(): number {
    return this.#all.size;
  }
}
