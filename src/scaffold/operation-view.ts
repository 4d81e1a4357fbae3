import type { CustomOperation, OperationParameter } from './api-model.js';
import type { Schema } from './json-schemas.js';
import { answerMediaView } from './media-view.js';
import { toPascal } from './naming.js';
import { parameterSchema } from './parameter-schemas.js';
import { rawBodyTs } from './raw-body.js';
import { schemaToTs } from './ts-types.js';

/** The view of a non-CRUD operation for the templates. */
export function operationView(op: CustomOperation) {
  const of = (where: OperationParameter['in']) => parameterSchema(op.parameters, where);
  const params = of('path');
  const query = of('query');
  const headers = of('header');
  const cookies = of('cookie');
  const schema: Schema = {};
  if (params) schema.params = params;
  if (query) schema.querystring = query;
  if (headers) schema.headers = headers;
  if (op.body) schema.body = op.body;
  const typeName = toPascal(op.handler);
  const answerMedia = answerMediaView(op.answer);
  const responseTs = op.response ? schemaToTs(op.response) : 'unknown';
  // What the handler may return: the object (sent as JSON or XML), or its own text or bytes for the other types.
  const written = answerMedia?.answer?.some((t) => !answerMedia.answerRaw?.includes(t)) ?? true;
  const outputTs = answerMedia?.answerRaw
    ? written
      ? `${responseTs} | Buffer | string`
      : 'Buffer | string'
    : responseTs;
  return {
    ...op,
    typeName,
    permission: `operations:${op.operationId}`,
    schema,
    answer: op.answer ?? { status: 200, envelope: true },
    paramsTs: params ? schemaToTs(params, '  ') : 'Record<string, never>',
    queryTs: query ? schemaToTs(query, '  ') : 'Record<string, never>',
    /** The declared header parameters (lower-case names), validated like the query. */
    headerNames: Object.keys((headers?.properties as Schema | undefined) ?? {}),
    headersTs: headers ? schemaToTs(headers, '  ') : undefined,
    /** The declared cookie parameters: read from the Cookie header and validated like the query. */
    cookies,
    cookiesTs: cookies ? schemaToTs(cookies, '  ') : undefined,
    bodyTs:
      op.bodyMedia === 'raw'
        ? `${rawBodyTs(op.bodyTypes ?? [])}${op.bodyRequired ? '' : ' | undefined'}`
        : op.body
          ? `${schemaToTs(op.body, '  ')}${op.bodyRequired ? '' : ' | undefined'}`
          : 'undefined',
    responseTs,
    /** The handler's return type (`<Op>Output`). */
    outputTs: outputTs === 'unknown | Buffer | string' ? 'unknown' : outputTs,
    /** The answer's media types besides JSON (`RouteMedia`), chosen by Accept; absent: JSON only. */
    answerMedia,
    /** The types the handler may be asked to answer in (`input.answerType`), as a TypeScript union. */
    answerTypeTs: answerMedia?.answer?.map((t) => JSON.stringify(t)).join(' | '),
  };
}
