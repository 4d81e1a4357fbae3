export { KEYWORDS_VERSION, type KeywordCategory, SQL_KEYWORDS } from './keywords.js';
export { lineAndColumn, type ParsedStatement, parseSql, type SqlSource } from './parse.js';
export { isPlainIdentifier, quoteIdent, quoteLiteral, quoteMilliseconds, quoteQualified } from './quote.js';
export { nonTransactionalReason } from './transactionality.js';
