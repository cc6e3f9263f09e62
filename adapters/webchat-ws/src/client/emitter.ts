/** Typed listeners for a map of event names to listener arguments. */
export interface Emitter<Events extends { [E in keyof Events]: unknown[] }> {
  /** Calls the event's listeners in the order they were added. */
  emit<E extends keyof Events>(event: E, ...args: Events[E]): void;
  /** Adds a listener; returns the function that removes it. */
  on<E extends keyof Events>(event: E, listener: (...args: Events[E]) => void): () => void;
}

/**
 * Creates an emitter. A listener that throws is logged and skipped: one broken UI callback must
 * not stop the others, nor the protocol handling that emitted the event.
 */
export function createEmitter<
  Events extends { [E in keyof Events]: unknown[] },
>(): Emitter<Events> {
  // Each set holds listeners of its own event's type; the map cannot say so, hence the cast in emit.
  const listeners = new Map<keyof Events, Set<unknown>>();
  return {
    emit(event, ...args) {
      for (const listener of listeners.get(event) ?? []) {
        try {
          (listener as (...a: typeof args) => void)(...args);
        } catch (error) {
          console.error('threadline chat listener failed', error);
        }
      }
    },
    on(event, listener) {
      const set = listeners.get(event) ?? new Set();
      set.add(listener);
      listeners.set(event, set);
      return () => set.delete(listener);
    },
  };
}
