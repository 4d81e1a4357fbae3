export { lineAndColumn, type ParsedStatement, parseSql, type SqlSource } from './parse.js';
export { nonTransactionalReason } from './transactionality.js';
