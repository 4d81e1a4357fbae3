import { type LoadedConfigFile, loadConfigFile } from '../core/config.js';
import type { CliIo } from './cli-io.js';
import { type Colors, createColors } from './output/colors.js';
import { type JsonSchemaName, jsonDocument } from './output/json-document.js';
import { createProgress, type Progress } from './output/progress.js';

/** The flags every command accepts. */
export interface GlobalOptions {
  databaseUrl?: string;
  config?: string;
  json?: boolean;
  verbose?: boolean;
  color?: boolean;
}

/** A command option that maps onto a config key, e.g. `lockTimeout` → `migrate.lockTimeout`. */
export interface FlagMapping {
  /** Commander's attribute name of the option (`lockTimeout` for `--lock-timeout`). */
  option: string;
  /** Dotted config path. */
  path: string;
}

/**
 * What a command action works with: output streams that respect `--json`
 * and `--no-color`, progress on stderr, and config resolution with the
 * precedence flags > environment > config file > defaults
 * ({@link commandConfig}, in a module of its own: the config's schemas, and
 * zod with them, load only for a command that reads its settings, never
 * for `--version` or `--help`).
 */
export class CliContext {
  /** Colors for stderr (human messages, tables on stderr). */
  readonly colors: Colors;
  /** Colors for stdout (result tables). */
  readonly outColors: Colors;
  /** Set by commands that finish with a non-zero code but no error (a failed check). */
  exitCode = 0;
  #configFile: LoadedConfigFile | undefined | null = null;
  #progress: Progress | undefined;

  constructor(
    readonly io: CliIo,
    readonly globals: GlobalOptions,
  ) {
    const flag = globals.color !== false;
    this.colors = createColors({ isTTY: io.stderrIsTTY, flag, env: io.env });
    this.outColors = createColors({ isTTY: io.stdoutIsTTY, flag, env: io.env });
  }

  get json(): boolean {
    return this.globals.json === true;
  }

  get verbose(): boolean {
    return this.globals.verbose === true;
  }

  /** Writes to stdout (results). */
  out(text: string): void {
    this.io.stdout.write(text);
  }

  /** Writes to stderr (messages for the human). */
  err(text: string): void {
    this.io.stderr.write(text);
  }

  /** Writes one `--json` document to stdout, with its `schema` first. */
  writeJson(schema: JsonSchemaName, value: object): void {
    this.io.stdout.write(`${JSON.stringify(jsonDocument(schema, value), null, 2)}\n`);
  }

  /** Progress on stderr: a live line on a terminal, milestone lines otherwise (one per command run). */
  progress(): Progress {
    this.#progress ??= createProgress(this.io.stderr, this.io.stderrIsTTY, { columns: this.io.columns });
    return this.#progress;
  }

  /** The config file in use (`--config`, `TENON_CONFIG`, or found in the working directory). */
  configFile(): LoadedConfigFile | undefined {
    if (this.#configFile === null) {
      this.#configFile = loadConfigFile(this.io.cwd, this.globals.config ?? this.io.env.TENON_CONFIG);
    }
    return this.#configFile;
  }
}
