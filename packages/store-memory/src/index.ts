export { type MemoryStoreOptions, MemoryStoreOptionsSchema } from './options';
export { createMemoryStore, type MemoryStore } from './store';
