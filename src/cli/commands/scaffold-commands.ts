import type { Command } from 'commander';
import type { ActionFactory } from './action.js';
import { registerGenerateCommand } from './generate.js';
import { registerNewCommand } from './new.js';

/** `tenon new` and `tenon generate` (the scaffold part). */
export function registerScaffoldCommands(program: Command, action: ActionFactory): void {
  registerNewCommand(program, action);
  registerGenerateCommand(program, action);
}
