import { type Command, Option } from 'commander';
import { TenonError } from '../../core/errors.js';
import { generateProject } from '../../scaffold/index.js';
import type { CliContext } from '../cli-context.js';
import { generateProgress } from '../output/scaffold-progress.js';
import { printScaffoldReport, scaffoldJson } from '../output/scaffold-report.js';
import { runInstall } from '../run-install.js';
import type { ActionFactory } from './action.js';

interface GenerateFlags {
  from?: string;
  resources?: string;
  framework?: 'fastify' | 'express';
  templates?: string;
  dir?: string;
  dryRun?: boolean;
  install?: boolean;
  conventions?: boolean;
}

async function run(ctx: CliContext, flags: GenerateFlags, addResources?: string): Promise<void> {
  const progress = ctx.progress();
  const result = await generateProject({
    mode: 'generate',
    dir: flags.dir ?? '.',
    cwd: ctx.io.cwd,
    dryRun: flags.dryRun === true,
    ...(flags.from ? { from: flags.from } : {}),
    ...(flags.conventions !== undefined ? { conventions: flags.conventions } : {}),
    ...(flags.resources ? { resources: flags.resources } : {}),
    ...(flags.framework ? { framework: flags.framework } : {}),
    ...(flags.templates ? { templates: flags.templates } : {}),
    ...(addResources ? { addResources } : {}),
    onEvent: generateProgress(progress),
  });
  const install = flags.install === true && !result.dryRun;
  if (install) await runInstall(progress, result.dir, ctx.io.signal);
  progress.done();
  if (ctx.json) ctx.writeJson('tenon.scaffold.generate/v1', scaffoldJson(result, install));
  else printScaffoldReport(ctx, result);
}

function common(command: Command): Command {
  return command
    .option('--dir <dir>', 'the project directory (default: the working directory)')
    .option('--templates <dir>', 'a folder of template files that replace or add to the built-in ones')
    .option('--dry-run', 'list what would be written, changed, skipped or conflicting; write nothing')
    .option('--install', 'run npm install afterwards')
    .option('--no-install', 'do not run npm install (the default for generate)');
}

/**
 * `tenon generate`: regenerates a project after its spec changed, never
 * overwriting a file the user edited; `tenon generate resource` adds one.
 */
export function registerGenerateCommand(program: Command, action: ActionFactory): void {
  const generate = common(
    program
      .command('generate')
      .description('regenerate a project from its spec (or a new one), keeping every edit you made')
      .option(
        '--from <spec>',
        'OpenAPI spec to generate from (default: the one recorded in .tenon/manifest.json)',
      )
      .option('--resources <text>', 'resource list to generate from (replaces the recorded one)')
      .option('--conventions', "OpenAPI: serve tenon's conventions (/api/v1, the envelope); kept once chosen")
      .option('--no-conventions', "OpenAPI: serve the spec's own paths and answers (the default)")
      .addOption(new Option('--framework <name>', 'must match the project').choices(['fastify', 'express'])),
  ).action(
    action(async (ctx, command) => {
      await run(ctx, command.opts() as GenerateFlags);
    }),
  );
  common(
    generate
      .command('resource')
      .description(
        'add a resource: tenon generate resource Review product:ref(Product) rating:int:min=1:max=5 comment:text?',
      )
      .argument('<name>', 'resource name, e.g. Review')
      .argument('<fields...>', 'fields as name:type[:modifier…], e.g. rating:int:min=1:max=5 comment:text?'),
  ).action(
    action(async (ctx, command, name, ...fields) => {
      if (!name || fields.length === 0) {
        throw new TenonError(
          'TENON_CLI_USAGE',
          'tenon generate resource needs a name and at least one field.',
        );
      }
      await run(ctx, command.opts() as GenerateFlags, `${name}(${fields.join(', ')})`);
    }),
  );
}
