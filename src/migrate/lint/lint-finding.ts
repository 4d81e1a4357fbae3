import type { Severity } from './lint-rule.js';

/** One problem lint found, placed in its file. */
export interface LintFinding {
  /** File as given (relative to the working directory when it was given so). */
  file: string;
  /** `up` or `down` section. */
  section: 'up' | 'down';
  line: number;
  column: number;
  rule: string;
  severity: Severity;
  message: string;
  /** The safe way to do it. */
  fix: string;
  /** 1-based statement within the section. */
  statement: number;
  /** `schema.name` of the table the risk is about, when there is one. */
  table?: string;
  /** Size and activity of that table in the live database, when they set the severity. */
  tableFacts?: string;
  /** Stable across edits elsewhere in the file: hash of the rule, file, section and statement text (SARIF partialFingerprints). */
  fingerprint: string;
}

/** A finding left out, and why. */
export interface SuppressedFinding {
  file: string;
  line: number;
  rule: string;
  /** `comment` (tenon-lint-disable), `config` (lintDisable), or `new-table` (created earlier in the set). */
  reason: 'comment' | 'config' | 'new-table';
}
