import type { Command } from 'commander';
import { commandConfig } from '../command-config.js';
import { renderTable } from '../output/table.js';
import type { ActionFactory } from './action.js';

function flatten(value: unknown, prefix = '', out: [string, unknown][] = []): [string, unknown][] {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, inner] of Object.entries(value)) flatten(inner, prefix ? `${prefix}.${key}` : key, out);
  } else {
    out.push([prefix, value]);
  }
  return out;
}

/** `tenon config`: prints the resolved configuration, to debug precedence. */
export function registerConfigCommand(program: Command, action: ActionFactory): void {
  program
    .command('config')
    .description('print the resolved configuration (flags > environment > config file > defaults)')
    .action(
      action(async (ctx, command) => {
        const config = commandConfig(ctx, command);
        const file = ctx.configFile();
        if (ctx.json) {
          ctx.writeJson('tenon.config/v1', { configFile: file?.path ?? null, config });
          return;
        }
        ctx.err(ctx.colors.dim(file ? `config file: ${file.path}\n` : 'config file: none\n'));
        const rows = flatten(config).map(([key, value]) => [
          key,
          value === undefined ? '' : JSON.stringify(value),
        ]);
        ctx.out(renderTable(['key', 'value'], rows));
      }),
    );
}
