import type { Command } from 'commander';
import { configFromEnv, resolveConfig, type TenonConfig } from '../config/tenon-config.js';
import type { ConfigLayer } from '../core/config.js';
import type { CliContext, FlagMapping } from './cli-context.js';

/**
 * Resolves the configuration for a command: defaults, then the config
 * file, then the environment, then the flags the user actually typed.
 * Apart from {@link CliContext} because it loads every part's config schema
 * (and zod): only the command modules import it, so `tenon --version` and
 * `--help` start without them.
 */
export function commandConfig(
  ctx: CliContext,
  command: Command,
  mappings: readonly FlagMapping[] = [],
): TenonConfig {
  const file = ctx.configFile();
  const layers: ConfigLayer[] = [];
  if (file) layers.push({ source: file.path, values: file.values });
  layers.push(configFromEnv(ctx.io.env));
  layers.push(flagLayer(command, [{ option: 'databaseUrl', path: 'databaseUrl' }, ...mappings]));
  return resolveConfig(layers);
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
