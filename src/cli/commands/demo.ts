import { writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { type Command, Option } from 'commander';
import { parseDuration } from '../../core/duration.js';
import { TenonError } from '../../core/errors.js';
import { tenonVersion } from '../../core/version.js';
import { type DemoResult, renderDemoReport, runDemo } from '../../demo/index.js';
import { commandConfig } from '../command-config.js';
import { demoProgress } from '../output/demo-progress.js';
import { renderDemoSummary } from '../output/demo-summary.js';
import type { ActionFactory } from './action.js';

interface DemoFlags {
  dir?: string;
  framework: 'fastify' | 'express';
  duration: string;
  rate?: string;
  html?: string;
  cache: boolean;
}

function positive(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) {
    throw new TenonError('TENON_CLI_USAGE', `${flag} expects a positive number (got "${text}").`, {
      hint: `e.g. ${flag} 50`,
    });
  }
  return value;
}

async function writeReport(path: string, html: string): Promise<void> {
  try {
    await writeFile(path, html);
  } catch (error) {
    throw new TenonError(
      'TENON_ANALYZE_WRITE_FAILED',
      `Could not write ${path}: ${(error as Error).message}`,
      {
        cause: error,
        hint: 'Check the path given with --html.',
      },
    );
  }
}

/** `tenon demo`. */
export function registerDemoCommand(program: Command, action: ActionFactory): void {
  program
    .command('demo')
    .description(
      'generate a sample API, seed it, serve it, load-test it, analyze and fix its database, load-test again, and write one HTML report',
    )
    .option('--dir <dir>', 'where to generate the sample project (default: a new folder under .tenon/demo)')
    .addOption(
      new Option('--framework <name>', 'framework of the sample project')
        .choices(['fastify', 'express'])
        .default('fastify'),
    )
    .option(
      '--duration <time>',
      'measured time of each steady load run (each capacity search takes at most 1.5× as long, at least 15s)',
      '20s',
    )
    .option('--rate <n>', 'requests per second of the load runs (default 50)')
    .option('--html <file>', 'where to write the HTML report (default: <dir>/tenon-demo-report.html)')
    .option('--no-cache', 'run initdb for the embedded database instead of loading the cached empty cluster')
    .action(
      action(async (ctx, command) => {
        const flags = command.opts<DemoFlags>();
        const config = commandConfig(ctx, command);
        const duration = parseDuration(flags.duration);
        if (duration === undefined || duration <= 0) {
          throw new TenonError(
            'TENON_CLI_USAGE',
            `--duration expects a duration such as 20s (got "${flags.duration}").`,
            {
              hint: 'Use ms, s, m or h: --duration 20s',
            },
          );
        }
        const result: DemoResult = await runDemo({
          dir: flags.dir,
          framework: flags.framework,
          databaseUrl: config.databaseUrl,
          duration,
          rate: positive('--rate', flags.rate),
          cache: flags.cache,
          cwd: ctx.io.cwd,
          signal: ctx.io.signal,
          onEvent: demoProgress(ctx.progress(), ctx.colors),
        });
        const reportPath = resolve(ctx.io.cwd, flags.html ?? join(result.dir, 'tenon-demo-report.html'));
        await writeReport(reportPath, renderDemoReport(result, tenonVersion()));
        if (ctx.json) ctx.writeJson('tenon.demo/v1', { ...result, report: reportPath });
        else
          ctx.out(renderDemoSummary(result, relative(ctx.io.cwd, reportPath) || reportPath, ctx.outColors));
      }),
    );
}
