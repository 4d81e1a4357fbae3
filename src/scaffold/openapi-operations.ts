import { TenonError } from '../core/errors.js';
import type { CustomOperation, OperationParameter } from './api-model.js';
import { toCamel, toKebab } from './naming.js';
import { successJsonSchema } from './openapi-answers.js';
import { child, isObject, type JsonObject, type Located, type SpecFiles } from './openapi-loader.js';
import { bodyMediaOf } from './openapi-media.js';
import { toStandaloneSchema } from './openapi-schema.js';
import { registeredRoute, routablePath, routeOfPath } from './route-params.js';

/** The parameters of a path item or operation (refs followed, schemas made standalone). */
export function operationParameters(
  files: SpecFiles,
  list: unknown,
  file: string,
  pointer: string,
): OperationParameter[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((raw, i) => {
    const loc = files.deref({ node: raw, file, pointer: child(pointer, i) });
    const p = loc.node;
    if (
      !isObject(p) ||
      typeof p.name !== 'string' ||
      !['path', 'query', 'header', 'cookie'].includes(String(p.in))
    )
      return [];
    // OpenAPI: header parameters named Accept, Content-Type or Authorization are ignored (the
    // media types and security schemes describe them).
    if (p.in === 'header' && /^(accept|content-type|authorization)$/i.test(p.name)) return [];
    const schema =
      p.schema === undefined
        ? {}
        : toStandaloneSchema(files, {
            node: p.schema,
            file: loc.file,
            pointer: child(loc.pointer, 'schema'),
          });
    return [
      {
        name: p.name,
        in: p.in as OperationParameter['in'],
        required: p.required === true || p.in === 'path',
        schema: p.in === 'query' ? withQueryStyle(schema, p) : schema,
      },
    ];
  });
}

/**
 * A query parameter's schema with its OpenAPI style and explode written as
 * `x-query-style` / `x-query-explode` when they are not the defaults (`form`,
 * exploded): the generated app's query-styles.ts reads them to take
 * `?tags=a,b`, `?filter[a]=1` or `?tags=a|b` apart before validation.
 */
function withQueryStyle(schema: Record<string, unknown>, p: JsonObject): Record<string, unknown> {
  const style = typeof p.style === 'string' ? p.style : 'form';
  const explode = typeof p.explode === 'boolean' ? p.explode : style === 'form';
  return {
    ...schema,
    ...(style !== 'form' ? { 'x-query-style': style } : {}),
    ...(explode !== (style === 'form') ? { 'x-query-explode': explode } : {}),
  };
}

/**
 * Whether a request body the spec declares on this method goes unread: HTTP gives the body of a
 * GET or HEAD no meaning (RFC 9110 §9.3.1), proxies may drop it, Fastify neither parses it nor
 * accepts a schema for it, and Express's parsers would read it in one framework only.
 */
export function bodyOfGetIgnored(method: string): boolean {
  return method === 'get' || method === 'head';
}

/**
 * A non-CRUD operation: its parameters and JSON body schema (refs inlined),
 * routed to a user-owned handler file that answers 501 until implemented.
 */
export function customOperation(
  files: SpecFiles,
  method: string,
  specPath: string,
  route: string,
  op: Located<JsonObject>,
  item: Located<JsonObject>,
): CustomOperation {
  const operationId =
    typeof op.node.operationId === 'string' && op.node.operationId.trim()
      ? op.node.operationId
      : toCamel(`${method} ${specPath.replace(/\{([^}]+)\}/g, 'by $1')}`);
  const byName = new Map<string, OperationParameter>();
  for (const p of [
    ...operationParameters(files, item.node.parameters, item.file, child(item.pointer, 'parameters')),
    ...operationParameters(files, op.node.parameters, op.file, child(op.pointer, 'parameters')),
  ])
    byName.set(`${p.in}:${p.name}`, p);
  // `@` (a scope, `/@acme/pages`) is literal in Fastify's and Express's routes alike; `:` is registered escaped.
  if (!routablePath(specPath)) {
    throw new TenonError(
      'TENON_SCAFFOLD_SPEC_UNSUPPORTED',
      `${files.where(op)}: the path "${specPath}" has characters a route cannot use.`,
      {
        hint: 'Use letters, digits, -, _, ., ~, @, : and {parameters} in paths.',
        details: { pointer: op.pointer },
      },
    );
  }
  const result: CustomOperation = {
    operationId,
    handler: toCamel(operationId),
    file: toKebab(operationId),
    method: method as CustomOperation['method'],
    route: routeOfPath(route),
    specPath,
    ...(registeredRoute(route) ? { url: registeredRoute(route) } : {}),
    parameters: [...byName.values()],
    bodyRequired: false,
  };
  if (typeof op.node.summary === 'string') result.summary = op.node.summary;
  // A GET or HEAD body is not read (see bodyOfGetIgnored): Fastify refuses a body schema on them.
  if (op.node.requestBody !== undefined && !bodyOfGetIgnored(method)) {
    const body = files.deref({
      node: op.node.requestBody,
      file: op.file,
      pointer: child(op.pointer, 'requestBody'),
    });
    if (isObject(body.node) && isObject(body.node.content)) {
      const content = body.node.content;
      // JSON when the spec offers it; else a form body, parsed into the object its schema describes.
      const type =
        Object.keys(content).find((t) => t === 'application/json' || /\+json$/.test(t)) ??
        Object.keys(content).find((t) => t === 'application/x-www-form-urlencoded');
      const media = type ? content[type] : undefined;
      if (isObject(media) && media.schema !== undefined) {
        result.body = toStandaloneSchema(
          files,
          {
            node: media.schema,
            file: body.file,
            pointer: child(body.pointer, 'content', type!, 'schema'),
          },
          { request: true },
        );
        result.bodyRequired = body.node.required === true;
        if (type === 'application/x-www-form-urlencoded') result.bodyMedia = 'form';
        // The other types the spec declares for the same body (petstore's PUT /pet: XML and a form too).
        const others = bodyMediaOf(files, op);
        if (others && type !== 'application/x-www-form-urlencoded') result.bodyMediaTypes = others;
      } else if (!type && Object.keys(content).length > 0) {
        // Neither JSON nor a form (an upload: application/octet-stream, image/png, text/plain,
        // multipart/form-data): the handler gets the bytes and the request's content type.
        const types = Object.keys(content);
        if (types.length > 0) {
          result.bodyMedia = 'raw';
          result.bodyTypes = types;
          result.bodyRequired = body.node.required === true;
        }
      }
    }
  }
  const response = successSchema(files, op);
  if (response) result.response = response;
  return result;
}

/** The standalone schema of the first 2xx response with a JSON body (in status order). */
function successSchema(files: SpecFiles, op: Located<JsonObject>): JsonObject | undefined {
  // 2XX ranges count here: a custom handler's return type.
  const schema = successJsonSchema(files, op, /^2(\d\d|XX)$/, true);
  if (!schema) return undefined;
  try {
    return toStandaloneSchema(files, schema);
  } catch (error) {
    // A response type that cannot be written out (a recursive schema) leaves the handler returning `unknown`.
    if (error instanceof TenonError && error.code === 'TENON_SCAFFOLD_SPEC_UNSUPPORTED') return undefined;
    throw error;
  }
}
