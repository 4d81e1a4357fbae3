import { scalar } from './parameter-value.js';
import type { Node, Spec } from './spec-reader.js';
import { xmlBody } from './xml-body.js';

/** Writes a body value in a media type: JSON, XML, multipart (one part per field), a form, else as text. */
export function encodeBody(
  type: string,
  value: unknown,
  media: Node,
  spec: Spec,
): { body: string; contentType: string } {
  if (/json/i.test(type)) return { body: JSON.stringify(value), contentType: type };
  if (/^(application|text)\/([\w.-]+\+)?xml$/i.test(type))
    return { body: xmlBody(value, media?.schema, spec), contentType: type };
  if (/multipart\/form-data/i.test(type)) {
    // One part per field (a repeated part per array item); a file's sample is sent as its text.
    const boundary = 'tenon-oracle-boundary';
    const parts: string[] = [];
    if (value && typeof value === 'object')
      for (const [k, v] of Object.entries(value as Record<string, unknown>))
        for (const item of Array.isArray(v) ? v : [v])
          parts.push(
            `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${scalar(item)}\r\n`,
          );
    return {
      body: `${parts.join('')}--${boundary}--\r\n`,
      contentType: `multipart/form-data; boundary=${boundary}`,
    };
  }
  if (/x-www-form-urlencoded/i.test(type)) {
    const form = new URLSearchParams();
    if (value && typeof value === 'object')
      for (const [k, v] of Object.entries(value as Record<string, unknown>))
        for (const item of Array.isArray(v) ? v : [v]) form.append(k, scalar(item));
    return { body: form.toString(), contentType: 'application/x-www-form-urlencoded' };
  }
  return { body: typeof value === 'string' ? value : JSON.stringify(value), contentType: type };
}
