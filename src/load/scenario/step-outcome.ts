import { categorizeStatus, type ErrorCategory } from '../error-category.js';
import { resolvePointer } from './json-pointer.js';
import type { ScenarioResponse, ScenarioStep, ScenarioVars } from './scenario-schema.js';
import { renderJson } from './template.js';

/** Why a step failed: a request error category, or one of the scenario's own reasons. */
export type StepFailure = ErrorCategory | 'checkFailed' | 'extractFailed' | 'templateFailed';

/** The scenario's own failure reasons, in result order after the request error categories. */
export const SCENARIO_FAILURES = ['checkFailed', 'extractFailed', 'templateFailed'] as const;

/** A failed step: its reason and a message for the first few examples in the result. */
export interface StepFailureDetail {
  reason: StepFailure;
  message: string;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Checks a response against a step's `check` (default: a status below 400).
 * A check written as a function decides alone, status included.
 *
 * @returns the failure, or `undefined` when every check passed.
 */
export function checkResponse(
  step: ScenarioStep,
  response: ScenarioResponse,
  vars: ScenarioVars,
): StepFailureDetail | undefined {
  const check = step.check;
  if (typeof check === 'function') {
    const verdict = check(response, vars);
    return verdict === true
      ? undefined
      : { reason: 'checkFailed', message: verdict === false ? 'check returned false' : verdict };
  }
  const expected = check?.status;
  const statusOk =
    expected === undefined
      ? response.status < 400
      : Array.isArray(expected)
        ? expected.includes(response.status)
        : expected === response.status;
  if (!statusOk)
    return {
      // 429 and 5xx get their own categories, as in plain runs (a rate limit is not a capacity limit).
      reason: categorizeStatus(response.status),
      message: `status ${response.status}, expected ${expected === undefined ? '< 400' : String(expected)}`,
    };
  if (!check) return undefined;
  for (const pointer of check.has ?? []) {
    if (resolvePointer(response.json, pointer) === undefined)
      return { reason: 'checkFailed', message: `no ${pointer} in the body` };
  }
  for (const [pointer, want] of Object.entries(check.json ?? {})) {
    const actual = resolvePointer(response.json, pointer);
    const wanted = renderJson(want, vars);
    if (!sameJson(actual, wanted))
      return {
        reason: 'checkFailed',
        message: `${pointer} is ${JSON.stringify(actual)}, expected ${JSON.stringify(wanted)}`,
      };
  }
  if (check.bodyIncludes !== undefined && !response.text.includes(check.bodyIncludes))
    return { reason: 'checkFailed', message: `body does not include ${JSON.stringify(check.bodyIncludes)}` };
  if (check.fn) {
    const verdict = check.fn(response, vars);
    if (verdict !== true)
      return { reason: 'checkFailed', message: verdict === false ? 'check returned false' : verdict };
  }
  return undefined;
}

/**
 * Sets the step's `extract` variables from a response.
 *
 * @returns the failure when a value is missing (the flow cannot go on without it).
 */
export function extractVariables(
  step: ScenarioStep,
  response: ScenarioResponse,
  vars: ScenarioVars,
): StepFailureDetail | undefined {
  for (const [name, extractor] of Object.entries(step.extract ?? {})) {
    let value: unknown;
    let source: string;
    if (typeof extractor === 'function') {
      value = extractor(response, vars);
      source = 'function';
    } else if ('json' in extractor) {
      value = resolvePointer(response.json, extractor.json);
      source = `JSON pointer ${extractor.json}`;
    } else if ('header' in extractor) {
      value = response.headers[extractor.header.toLowerCase()];
      source = `header ${extractor.header}`;
    } else {
      const match = new RegExp(extractor.regex).exec(response.text);
      value = match ? (match[1] ?? match[0]) : undefined;
      source = `regex ${extractor.regex}`;
    }
    if (value === undefined || value === null)
      return { reason: 'extractFailed', message: `${name}: nothing at ${source}` };
    vars[name] = value;
  }
  return undefined;
}
