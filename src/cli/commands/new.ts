import { relative } from 'node:path';
import { type Command, Option } from 'commander';
import { generateProject } from '../../scaffold/index.js';
import { commandConfig } from '../command-config.js';
import { generateProgress } from '../output/scaffold-progress.js';
import { printScaffoldReport, scaffoldJson } from '../output/scaffold-report.js';
import { runInstall } from '../run-install.js';
import type { ActionFactory } from './action.js';

interface NewFlags {
  from?: string;
  resources?: string;
  framework?: 'fastify' | 'express';
  name?: string;
  templates?: string;
  force?: boolean;
  dryRun?: boolean;
  install?: boolean;
  conventions?: boolean;
}

/** `tenon new <dir>`: a new project from an OpenAPI spec or a resource list. */
export function registerNewCommand(program: Command, action: ActionFactory): void {
  program
    .command('new')
    .description(
      'create a project (Fastify or Express, TypeScript, PostgreSQL) from an OpenAPI spec or a resource list',
    )
    .argument('<dir>', 'directory to create (its name is the package name unless --name)')
    .option('--from <spec>', 'OpenAPI 3.0/3.1 spec, YAML or JSON (relative $refs are followed)')
    .option(
      '--resources <text>',
      "resource list, e.g. 'Post(title:string:max=200, body:text), Comment(post:ref(Post), body:text)'",
    )
    .addOption(
      new Option('--framework <name>', 'web framework (config scaffold.framework; default fastify)').choices([
        'fastify',
        'express',
      ]),
    )
    .option(
      '--conventions',
      "OpenAPI: serve tenon's conventions (/api/v1 prefix, the envelope) instead of the spec's own paths and answers",
    )
    .option('--name <name>', 'package name (default: the directory name)')
    .option('--templates <dir>', 'a folder of template files that replace or add to the built-in ones')
    .option(
      '--force',
      'write into a non-empty directory (files tenon did not write get a .tenon-new beside them)',
    )
    .option('--dry-run', 'list what would be written; write nothing')
    .option('--install', 'run npm install afterwards (the default; config scaffold.install)')
    .option('--no-install', 'do not run npm install')
    .action(
      action(async (ctx, command, dir) => {
        const flags = command.opts() as NewFlags;
        const config = commandConfig(ctx, command, [
          { option: 'framework', path: 'scaffold.framework' },
          { option: 'templates', path: 'scaffold.templates' },
          { option: 'install', path: 'scaffold.install' },
        ]);
        const progress = ctx.progress();
        const result = await generateProject({
          mode: 'new',
          dir: dir!,
          cwd: ctx.io.cwd,
          framework: config.scaffold.framework,
          force: flags.force === true,
          dryRun: flags.dryRun === true,
          ...(flags.from ? { from: flags.from } : {}),
          ...(flags.conventions ? { conventions: true } : {}),
          ...(flags.resources ? { resources: flags.resources } : {}),
          ...(flags.name ? { name: flags.name } : {}),
          ...(config.scaffold.templates ? { templates: config.scaffold.templates } : {}),
          onEvent: generateProgress(progress),
        });
        const install = config.scaffold.install && !result.dryRun;
        if (install) await runInstall(progress, result.dir, ctx.io.signal);
        progress.done();
        if (ctx.json) {
          ctx.writeJson('tenon.scaffold.new/v1', scaffoldJson(result, install));
          return;
        }
        printScaffoldReport(ctx, result);
        if (!result.dryRun) {
          const where = relative(ctx.io.cwd, result.dir) || '.';
          // The API denies anonymous callers, so the first admin is part of getting started.
          ctx.out(
            `\nnext: cd ${where}${install ? '' : ' && npm install'} && cp .env.example .env && npm run migrate` +
              ` && npm run create-admin -- --email you@example.com && npm run dev\n`,
          );
        }
      }),
    );
}
