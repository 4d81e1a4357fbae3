import type { TenonError } from '../../core/errors.js';
import type { Colors } from './colors.js';

/**
 * Formats an error for the terminal: code and message, then the hint;
 * with `verbose`, the stack and the chain of causes too. Stack traces are
 * never shown otherwise.
 */
export function renderError(error: TenonError, colors: Colors, verbose: boolean): string {
  const lines = [`${colors.red(colors.bold('error'))} ${colors.dim(error.code)}: ${error.message}`];
  if (error.hint) lines.push(`${colors.yellow('hint')}: ${error.hint}`);
  if (verbose) {
    if (Object.keys(error.details).length > 0) lines.push(colors.dim(`details: ${safeJson(error.details)}`));
    lines.push(colors.dim(error.stack ?? ''));
    let cause: unknown = error.cause;
    for (let depth = 0; cause && depth < 5; depth++) {
      const text = cause instanceof Error ? (cause.stack ?? cause.message) : String(cause);
      lines.push(colors.dim(`caused by: ${text}`));
      cause = cause instanceof Error ? cause.cause : undefined;
    }
  }
  return `${lines.join('\n')}\n`;
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}
