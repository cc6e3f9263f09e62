import { describe, expect, it } from 'vitest';
import type { Connection } from '../src/server/connection';
import { ConnectionRegistry } from '../src/server/registry';

/** The registry reads only a connection's address and user: plain records stand in for sockets. */
const socket = (address: string, userId?: string) =>
  ({ address, ...(userId === undefined ? {} : { userId }) }) as Connection;

describe('the socket registry', () => {
  it("never routes a user's frame to another user's socket on the same address", () => {
    const registry = new ConnectionRegistry();
    // What a race of two first contacts for one address could leave: both sockets indexed.
    const alice = socket('user:x', 'alice');
    const bob = socket('user:x', 'bob');
    registry.add(alice);
    registry.add(bob);
    expect([...registry.find({ userId: 'bob', address: 'user:x' })]).toEqual([bob]);
    expect([...registry.find({ userId: 'carol', address: 'user:x' })]).toEqual([]);
  });

  it('routes by address to sockets of no user yet, and to every socket when no user is named', () => {
    const registry = new ConnectionRegistry();
    const anonymous = socket('anon:1');
    const known = socket('anon:1', 'u1');
    registry.add(anonymous);
    registry.add(known);
    expect(new Set(registry.find({ userId: 'u1', address: 'anon:1' }))).toEqual(
      new Set([anonymous, known]),
    );
    expect(registry.find({ address: ' anon:1 ' }).size).toBe(2);
  });
});
