import type { Node, SpecOperation } from './spec-reader.js';

/** The media type to send: JSON first, then forms, then whatever the spec lists first. */
export function pickMedia(content: Record<string, Node>): [string, Node] | undefined {
  const types = Object.keys(content);
  const pick =
    types.find((t) => /^application\/(.+\+)?json\b/i.test(t)) ??
    types.find((t) => /^application\/x-www-form-urlencoded\b/i.test(t)) ??
    types.find((t) => /^multipart\/form-data\b/i.test(t)) ??
    types[0];
  return pick === undefined ? undefined : [pick, content[pick]];
}

/** The media types of the operation's 2xx responses, JSON first. */
export function answerTypes(op: SpecOperation): string[] {
  const types = new Set<string>();
  for (const [status, response] of Object.entries<Node>(op.responses ?? {}))
    if (/^2/.test(status)) for (const t of Object.keys(response?.content ?? {})) types.add(t);
  return [...types].sort((a, b) => Number(!/json/.test(a)) - Number(!/json/.test(b)));
}

/** Accept: the media types of the operation's 2xx responses, JSON first. */
export function acceptFor(op: SpecOperation): string | undefined {
  const types = answerTypes(op);
  return types.length === 0 ? undefined : types.join(', ');
}

/** The request body media types the oracle can write besides the one it sends first: forms, multipart, XML. */
export function otherBodyTypes(op: SpecOperation): string[] {
  const content = op.requestBody?.content;
  if (!content || typeof content !== 'object') return [];
  const first = pickMedia(content)?.[0];
  return Object.keys(content).filter(
    (t) =>
      t !== first &&
      (/^application\/x-www-form-urlencoded$/i.test(t) ||
        /^multipart\/form-data$/i.test(t) ||
        /^(application|text)\/([\w.-]+\+)?xml$/i.test(t)),
  );
}
