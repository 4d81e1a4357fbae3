import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';

/**
 * The body of a command: receives the context, the commander Command, and
 * the positional arguments. It writes results through the context and may
 * set `ctx.exitCode`; errors it throws are rendered by `runCli`.
 */
export type CommandBody = (ctx: CliContext, command: Command, ...args: string[]) => Promise<void>;

/** Wraps a {@link CommandBody} into a commander action handler. */
export type ActionFactory = (body: CommandBody) => (...args: unknown[]) => Promise<void>;
