import type { Command } from 'commander';
import { TenonError } from '../../core/errors.js';

/** What one `tenon load` invocation does. */
export type LoadMode = 'run' | 'scenario' | 'capacity' | 'distributed';

/** A flag that belongs to some modes only: the modes, and what to do instead elsewhere. */
interface ModeRule {
  modes: readonly LoadMode[];
  /** The error's code (most are TENON_LOAD_OPTIONS_INVALID). */
  code?: 'TENON_LOAD_SHARD_INVALID';
  hint: Partial<Record<LoadMode, string>> & { default: string };
}

const CAPACITY_HINT = {
  default: "Add --find-capacity --slo 'p99<100ms' to search for the highest rate that meets an SLO.",
};
const BASELINE_HINT = {
  scenario: 'Compare plain URL runs, or keep the scenario results with --out and compare them yourself.',
  capacity: 'Run the capacity search, then save or compare a plain run at the rate it found (--rate N).',
  default:
    'Run the distributed load, merge it (tenon load merge), and compare or search with single-machine runs.',
};

/**
 * The one table of flags that do not combine with every mode (keyed by
 * commander's attribute name). A flag given on the command line outside its
 * modes is refused before any request, instead of being silently ignored.
 */
const RULES: Record<string, ModeRule> = {
  maxRate: { modes: ['capacity'], hint: CAPACITY_HINT },
  minRate: { modes: ['capacity'], hint: CAPACITY_HINT },
  confidence: { modes: ['capacity'], hint: CAPACITY_HINT },
  precision: { modes: ['capacity'], hint: CAPACITY_HINT },
  maxRepeats: { modes: ['capacity'], hint: CAPACITY_HINT },
  maxTime: { modes: ['capacity'], hint: CAPACITY_HINT },
  saveBaseline: { modes: ['run'], hint: BASELINE_HINT },
  compare: { modes: ['run'], hint: BASELINE_HINT },
  findCapacity: {
    modes: ['capacity'],
    hint: {
      scenario:
        'Search the capacity of plain URLs (tenon load URL --find-capacity); a scenario runs at the rate or VUs given.',
      default: BASELINE_HINT.default,
    },
  },
  scenario: {
    modes: ['scenario'],
    code: 'TENON_LOAD_SHARD_INVALID',
    hint: {
      default: 'Split a scenario by running it on several machines and compare their results side by side.',
    },
  },
};

const MODE_NAMES: Record<LoadMode, string> = {
  run: 'plain runs',
  scenario: '--scenario',
  capacity: '--find-capacity',
  distributed: 'distributed runs',
};

/** The mode a parsed `tenon load` command runs in. */
export function loadMode(command: Command): LoadMode {
  const f = command.opts<{
    emitK8s?: string;
    plan?: string;
    shardCount?: string;
    scenario?: string;
    findCapacity?: boolean;
  }>();
  if (f.emitK8s !== undefined || f.plan !== undefined || f.shardCount !== undefined) return 'distributed';
  if (f.scenario !== undefined) return 'scenario';
  if (f.findCapacity) return 'capacity';
  return 'run';
}

const flagName = (key: string) => `--${key.replace(/[A-Z]/g, (ch) => `-${ch.toLowerCase()}`)}`;

/**
 * Refuses the flags given on the command line that do not apply to `mode`
 * (exit 2 before any request), all of them in one message.
 *
 * @throws TenonError `TENON_LOAD_OPTIONS_INVALID` (or `TENON_LOAD_SHARD_INVALID` for a distributed scenario)
 */
export function rejectFlagsOutsideMode(command: Command, mode: LoadMode): void {
  const given = (key: string) => command.getOptionValueSource(key) === 'cli';
  const refused = Object.entries(RULES).filter(([key, rule]) => !rule.modes.includes(mode) && given(key));
  if (refused.length === 0) return;
  // A scenario distributed is its own case; a distributed capacity search is the mode conflict, not the flag.
  const shard = refused.find(([, rule]) => rule.code);
  if (shard && mode === 'distributed')
    throw new TenonError(shard[1].code!, 'Distributed runs take URLs, not --scenario (yet).', {
      hint: shard[1].hint.default,
    });
  const names = refused.map(([key]) => flagName(key));
  const capacityOnly = refused.every(([, rule]) => rule.hint === CAPACITY_HINT);
  const message = capacityOnly
    ? `${names.join(', ')} only apply to --find-capacity.`
    : `${names.join(', ')} do not apply to ${MODE_NAMES[mode]}${mode === 'distributed' ? ' (yet)' : ' yet'}.`;
  const first = refused[0]![1];
  throw new TenonError('TENON_LOAD_OPTIONS_INVALID', message, {
    hint: first.hint[mode] ?? first.hint.default,
  });
}
