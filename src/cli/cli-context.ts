import type { Command } from 'commander';
import { configFromEnv, resolveConfig, type TenonConfig } from '../config/tenon-config.js';
import { type ConfigLayer, type LoadedConfigFile, loadConfigFile } from '../core/config.js';
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
 * precedence flags > environment > config file > defaults.
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

  /**
   * Resolves the configuration for a command: defaults, then the config
   * file, then the environment, then the flags the user actually typed.
   */
  resolveConfig(command: Command, mappings: readonly FlagMapping[] = []): TenonConfig {
    const file = this.configFile();
    const layers: ConfigLayer[] = [];
    if (file) layers.push({ source: file.path, values: file.values });
    layers.push(configFromEnv(this.io.env));
    layers.push(flagLayer(command, [{ option: 'databaseUrl', path: 'databaseUrl' }, ...mappings]));
    return resolveConfig(layers);
  }
}

function optionFlag(command: Command, attribute: string): string {
  for (let c: Command | null = command; c; c = c.parent) {
    const option = c.options.find((o) => o.attributeName() === attribute);
    if (option) return option.long ?? option.short ?? attribute;
  }
  return attribute;
}

/** The values of the mapped options that were given on the command line (not defaults). */
function flagLayer(command: Command, mappings: readonly FlagMapping[]): ConfigLayer {
  const values: Record<string, unknown> = {};
  const labels: Record<string, string> = {};
  const all = command.optsWithGlobals() as Record<string, unknown>;
  for (const { option, path } of mappings) {
    if (command.getOptionValueSourceWithGlobals(option) !== 'cli') continue;
    const keys = path.split('.');
    let target = values;
    for (const key of keys.slice(0, -1)) {
      target[key] ??= {};
      target = target[key] as Record<string, unknown>;
    }
    target[keys.at(-1)!] = all[option];
    labels[path] = optionFlag(command, option);
  }
  return { source: 'flags', values, labels };
}
