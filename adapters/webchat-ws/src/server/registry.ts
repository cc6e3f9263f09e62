import { type Connection, webChatAddress } from './connection';

/**
 * Who a frame is for: a user (every socket they have open), or one address when no user is known.
 * Addresses are looked up in the core's stored form, whatever spelling the route carries.
 */
export interface Route {
  userId?: string;
  address?: string;
}

const NONE: ReadonlySet<Connection> = new Set();

/** Adds `connection` to the set under `key`. */
function addTo(index: Map<string, Set<Connection>>, key: string, connection: Connection): void {
  const set = index.get(key);
  if (set === undefined) index.set(key, new Set([connection]));
  else set.add(connection);
}

/** Removes `connection` from the set under `key`, and the set once empty. */
function removeFrom(
  index: Map<string, Set<Connection>>,
  key: string,
  connection: Connection,
): void {
  const set = index.get(key);
  set?.delete(connection);
  if (set?.size === 0) index.delete(key);
}

/**
 * The open sockets on this instance, found by user and by address. Users and addresses have a map
 * each, so a lookup (one per frame sent) builds no key string.
 */
export class ConnectionRegistry {
  readonly #byUser = new Map<string, Set<Connection>>();
  readonly #byAddress = new Map<string, Set<Connection>>();
  readonly #all = new Set<Connection>();

  add(connection: Connection): void {
    this.#all.add(connection);
    addTo(this.#byAddress, connection.address, connection);
    if (connection.userId !== undefined) addTo(this.#byUser, connection.userId, connection);
  }

  remove(connection: Connection): void {
    this.#all.delete(connection);
    removeFrom(this.#byAddress, connection.address, connection);
    if (connection.userId !== undefined) removeFrom(this.#byUser, connection.userId, connection);
  }

  /** How many sockets the visitor's user (or, without one, address) has open here. */
  countFor(connection: Connection): number {
    const set =
      connection.userId === undefined
        ? this.#byAddress.get(connection.address)
        : this.#byUser.get(connection.userId);
    return set?.size ?? 0;
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
    const ofUser = userId === undefined ? undefined : this.#byUser.get(userId);
    const ofAddress =
      route.address === undefined ? undefined : this.#byAddress.get(webChatAddress(route.address));
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
