import type { CrudOperations, ResourceModel, ServedAnswer, XmlShape } from './api-model.js';
import { readableFields } from './json-schemas.js';

/** What a generated route needs to serve a body or an answer in more media types than JSON (`RouteMedia` in the project). */
export interface RouteMediaView {
  /** The request body's media types, as the spec writes them (JSON, form, multipart, XML), JSON added where it declares none. */
  body?: string[];
  bodyXml?: XmlShape;
  /** The answer's media types, JSON first (or last, when tenon adds it): chosen by Accept. */
  answer?: string[];
  /** The spec declares no JSON answer: JSON (added) only when Accept names it, 406 when nothing fits. */
  answerStrict?: boolean;
  answerXml?: XmlShape;
  /** Types the handler writes itself (operations other than CRUD): its string or bytes are sent as they are. */
  answerRaw?: string[];
  /** A list's `text/csv` answer: its columns. */
  answerCsv?: string[];
}

/**
 * How an answer the spec declares in more types than JSON is served (absent:
 * JSON only). JSON is added last where the spec declares none but XML or CSV
 * (written from the same object): served only when Accept names it.
 */
export function answerMediaView(
  answer: ServedAnswer | undefined,
  columns: () => string[] = () => [],
): RouteMediaView | undefined {
  // A JSON answer in another JSON type only (`application/vnd.api+json`) is sent in that type.
  const types = answer?.types ?? (answer?.jsonType ? [answer.jsonType] : undefined);
  if (!answer || !types) return undefined;
  const view: RouteMediaView = {};
  const strict = !types.some(isJson);
  const derived = answer.xml !== undefined || answer.csv !== undefined;
  view.answer = strict && derived ? [...types, 'application/json'] : types;
  if (strict) view.answerStrict = true;
  if (answer.xml) view.answerXml = answer.xml;
  if (answer.raw) view.answerRaw = answer.raw;
  if (answer.csv) view.answerCsv = answer.csv.length > 0 ? answer.csv : columns();
  return view;
}

const isJson = (t: string) => t === 'application/json' || /\+json$/.test(t);

/**
 * Per CRUD operation of a resource served at the spec's paths, the media
 * types besides JSON it takes and answers (absent: JSON only, the route as
 * before — nothing added to its path). `xml` is true when some operation
 * reads or writes XML: the route file then imports the XML codec.
 */
export function mediaView(r: ResourceModel): {
  ops: Partial<Record<keyof CrudOperations, RouteMediaView>>;
  xml: boolean;
  multipart: boolean;
  /** The `media` declaration of the route file (`RouteMedia` per operation), or '' when every operation is JSON only. */
  code: string;
} {
  const ops: Partial<Record<keyof CrudOperations, RouteMediaView>> = {};
  for (const kind of ['list', 'create', 'read', 'update', 'patch', 'delete'] as const) {
    if (!r.operations[kind]) continue;
    const view: RouteMediaView = {};
    const body =
      kind === 'create' || kind === 'update' || kind === 'patch' ? r.served?.bodyMedia?.[kind] : undefined;
    if (body) {
      // JSON is always taken (tenon's own clients and generated tests speak it): added where the spec declares none.
      view.body = body.types.some(isJson) ? body.types : [...body.types, 'application/json'];
      if (body.xml) view.bodyXml = body.xml;
    }
    Object.assign(
      view,
      answerMediaView(r.served?.answers[kind], () => [
        r.idName ?? 'id',
        ...readableFields(r).map((f) => f.name),
      ]),
    );
    if (Object.keys(view).length > 0) ops[kind] = view;
  }
  const all = Object.values(ops);
  const xml = all.some((v) => v.bodyXml !== undefined || v.answerXml !== undefined);
  const entries = Object.entries(ops).map(([kind, view]) => {
    const fields = Object.entries(view).map(([k, v]) => `${k}: ${JSON.stringify(v)}`);
    if (view.bodyXml || view.answerXml) fields.push('xml: xmlCodec');
    return `  ${kind}: { ${fields.join(', ')} },`;
  });
  const code = entries.length
    ? `/** The media types the spec declares for these operations' bodies and answers besides JSON. */\nconst media = {\n${entries.join('\n')}\n} satisfies Record<string, RouteMedia>;`
    : '';
  return {
    ops,
    xml,
    multipart: all.some((v) => v.body?.includes('multipart/form-data') === true),
    code,
  };
}

/**
 * The report's lines for CRUD operations of a resource whose spec declares
 * no JSON body or answer: JSON is served beside the spec's types.
 */
export function jsonAdded(r: ResourceModel): string[] {
  const lines: string[] = [];
  for (const [kind, media] of Object.entries(r.served?.bodyMedia ?? {}))
    if (!media.types.some(isJson))
      lines.push(
        `${r.name} ${kind}: the spec declares the body as ${media.types.join(', ')}; a JSON body is taken too (tenon's choice: its clients and generated tests send JSON).`,
      );
  for (const [kind, answer] of Object.entries(r.served?.answers ?? {}))
    if (answer.types && !answer.types.some(isJson))
      lines.push(
        `${r.name} ${kind}: the spec answers ${answer.types.join(', ')} only; JSON is answered when Accept asks for application/json (tenon's choice), 406 when Accept takes none of them.`,
      );
  for (const [kind, answer] of Object.entries(r.served?.answers ?? {}))
    if (answer.notServed)
      lines.push(
        `${r.name} ${kind}: the spec also answers ${answer.notServed.join(', ')}, which a CRUD operation cannot write from its rows: not served (tenon's choice; ${answer.types ? `${answer.types.join(', ')} by Accept` : 'JSON'} instead). Make it an operation of its own to answer it.`,
      );
  return lines;
}
