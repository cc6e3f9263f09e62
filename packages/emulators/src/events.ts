/** Subscribes to one kind of event; the returned function unsubscribes. */
export type Subscribe<Events> = <K extends keyof Events>(
  name: K,
  listener: (payload: Events[K]) => void,
) => () => void;

/** A tiny typed event emitter: `on` for the public surface, `emit` for the emulator itself. */
export interface Emitter<Events> {
  on: Subscribe<Events>;
  /** Calls every listener of `name`; `false` when there was none. */
  emit<K extends keyof Events>(name: K, payload: Events[K]): boolean;
}

/**
 * Creates an {@link Emitter}. A listener that throws does not stop the emulator or the other
 * listeners; its error is rethrown on a later tick so it still surfaces (and fails a test).
 *
 * @example
 * ```ts
 * const events = createEmitter<{ ping: { at: number } }>();
 * const off = events.on('ping', ({ at }) => console.log(at));
 * events.emit('ping', { at: Date.now() });
 * off();
 * ```
 */
export function createEmitter<Events>(): Emitter<Events> {
  const listeners = new Map<keyof Events, Set<(payload: never) => void>>();
  return {
    on(name, listener) {
      let set = listeners.get(name);
      if (set === undefined) {
        set = new Set();
        listeners.set(name, set);
      }
      set.add(listener);
      return () => {
        set.delete(listener);
      };
    },
    emit(name, payload) {
      const set = listeners.get(name);
      for (const listener of set ?? []) {
        try {
          (listener as (value: typeof payload) => void)(payload);
        } catch (error) {
          queueMicrotask(() => {
            throw error;
          });
        }
      }
      return (set?.size ?? 0) > 0;
    },
  };
}
