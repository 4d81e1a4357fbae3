/** One sample of a Prometheus text exposition. */
export interface PromSample {
  /** Full sample name (`http_request_duration_seconds_sum`). */
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** A parsed exposition: samples by name, and the declared type of each family. */
export interface PromExposition {
  samples: Map<string, PromSample[]>;
  types: Map<string, string>;
}

function parseValue(text: string): number {
  if (text === '+Inf' || text === 'Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  return Number(text);
}

/** Reads `{a="x",b="y\"z"}` from `line` at `i` (just past `{`); returns the labels and the index past `}`. */
function parseLabels(line: string, start: number): [Record<string, string>, number] {
  const labels: Record<string, string> = {};
  let i = start;
  for (;;) {
    while (line[i] === ' ' || line[i] === ',') i++;
    if (line[i] === '}') return [labels, i + 1];
    const eq = line.indexOf('=', i);
    if (eq < 0 || line[eq + 1] !== '"') throw new Error(`bad label at column ${i + 1}`);
    const key = line.slice(i, eq).trim();
    let value = '';
    i = eq + 2;
    for (; i < line.length && line[i] !== '"'; i++) {
      if (line[i] === '\\') {
        const next = line[++i];
        value += next === 'n' ? '\n' : (next ?? '');
      } else value += line[i];
    }
    if (i >= line.length) throw new Error('unterminated label value');
    labels[key] = value;
    i++;
  }
}

/**
 * Parses the Prometheus text exposition format (version 0.0.4, which
 * prom-client and most exporters serve; OpenMetrics text is close enough
 * for the figures read here). A line that does not parse is skipped, not
 * fatal: one odd metric must not cost the whole scrape.
 *
 * Hand-written because the npm parsers fall short on what a Node app
 * serves: parse-prometheus-text-format (1.1.1) merges every labeled
 * histogram series into one and drops their `_sum` and `_count`, and
 * prom2javascript rejects the whole scrape on a `NaN` sample.
 */
export function parsePrometheusText(text: string): PromExposition {
  const samples = new Map<string, PromSample[]>();
  const types = new Map<string, string>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    if (line.startsWith('#')) {
      const m = /^#\s+TYPE\s+(\S+)\s+(\S+)/.exec(line);
      if (m) types.set(m[1]!, m[2]!.toLowerCase());
      continue;
    }
    try {
      const nameEnd = line.search(/[{\s]/);
      if (nameEnd <= 0) continue;
      const name = line.slice(0, nameEnd);
      let rest = nameEnd;
      let labels: Record<string, string> = {};
      if (line[nameEnd] === '{') [labels, rest] = parseLabels(line, nameEnd + 1);
      const [valueText] = line.slice(rest).trim().split(/\s+/);
      if (!valueText) continue;
      const value = parseValue(valueText);
      const list = samples.get(name);
      if (list) list.push({ name, labels, value });
      else samples.set(name, [{ name, labels, value }]);
    } catch {
      // A malformed line: skip it (see above).
    }
  }
  return { samples, types };
}

/** Sum of the samples named `name` whose labels match `where` (all when omitted); undefined when none. */
export function sumOf(
  exposition: PromExposition,
  name: string,
  where: (labels: Record<string, string>) => boolean = () => true,
): number | undefined {
  const list = exposition.samples.get(name)?.filter((s) => where(s.labels) && Number.isFinite(s.value));
  if (!list || list.length === 0) return undefined;
  return list.reduce((sum, s) => sum + s.value, 0);
}
