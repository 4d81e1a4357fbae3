import { buildRequest } from '../http-request.js';
import type { Scenario, ScenarioStep, ScenarioVars, VarsFunction } from './scenario-schema.js';
import { MissingVariableError, renderJson, renderTemplate } from './template.js';

/** The bytes of one step's request and where to send them. */
export interface StepRequest {
  host: string;
  port: number;
  bytes: Uint8Array;
  head: boolean;
}

function text(value: string | VarsFunction<string>, vars: ScenarioVars): string {
  return typeof value === 'function' ? value(vars) : renderTemplate(value, vars);
}

/** Joins a path to the scenario's base URL (`/api` + `/x`, or a full URL as is). */
export function resolveStepUrl(url: string, baseUrl: string | undefined): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url) || baseUrl === undefined) return url;
  return `${baseUrl.replace(/\/+$/, '')}/${url.replace(/^\/+/, '')}`;
}

/**
 * Renders a step's URL, headers and body for a virtual user and builds the
 * request bytes. A scenario-wide header whose variable is not set yet is
 * left out; anything else that names a missing variable fails the step.
 *
 * @throws MissingVariableError when a template names an unknown variable
 * @throws TenonError `TENON_LOAD_URL_INVALID`, `TENON_LOAD_REQUEST_INVALID`
 */
export function buildStepRequest(
  scenario: Scenario,
  step: ScenarioStep,
  vars: ScenarioVars,
  userAgent: string,
): StepRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(scenario.headers ?? {})) {
    // A common header whose variable is not set yet (the token before the login) is left out.
    try {
      headers[name] = text(value, vars);
    } catch (error) {
      if (!(error instanceof MissingVariableError)) throw error;
    }
  }
  for (const [name, value] of Object.entries(step.headers ?? {})) headers[name] = text(value, vars);
  let body: string | undefined;
  if (step.body !== undefined) body = text(step.body, vars);
  else if (step.json !== undefined) {
    const value =
      typeof step.json === 'function'
        ? (step.json as VarsFunction<unknown>)(vars)
        : renderJson(step.json, vars);
    body = JSON.stringify(value);
    if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type'))
      headers['Content-Type'] = 'application/json';
  }
  const url = resolveStepUrl(text(step.url, vars), scenario.baseUrl);
  const built = buildRequest(
    { url, method: step.method, headers, ...(body === undefined ? {} : { body }) },
    userAgent,
  );
  return { host: built.host, port: built.port, bytes: built.request, head: built.head };
}
