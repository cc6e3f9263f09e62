export { createSqliteStore, type SqliteStoreOptions } from './store';
