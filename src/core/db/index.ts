export { connect, DEFAULT_PGLITE_DIR, type ParsedDatabaseUrl, parseDatabaseUrl } from './connect.js';
export type { ConnectOptions, Database, DatabaseKind, QueryResult } from './database.js';
export { sqlStateOf } from './database-errors.js';
