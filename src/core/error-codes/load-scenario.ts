import type { ErrorCodeInfo } from './error-code-info.js';

/** Codes raised by `tenon load --scenario` (scenario files and their data). */
export const loadScenarioErrorCodes = {
  TENON_LOAD_SCENARIO_UNREADABLE: {
    kind: 'usage',
    summary: 'The scenario file cannot be read, parsed or imported.',
  },
  TENON_LOAD_SCENARIO_INVALID: {
    kind: 'usage',
    summary: 'A key of the scenario file is missing, unknown or has an invalid value.',
  },
  TENON_LOAD_FEEDER_INVALID: {
    kind: 'usage',
    summary: 'A data file of the scenario cannot be read, is not valid CSV or JSON, or has no rows.',
  },
} as const satisfies Record<string, ErrorCodeInfo>;
