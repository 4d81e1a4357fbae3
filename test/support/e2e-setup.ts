import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensurePrism } from '../../scripts/conformance/prism.js';

/**
 * Installs the oracle's validator (prism) once, before the e2e files start:
 * the two halves of the corpus matrix run on two workers at once and would
 * otherwise both install it into the same folder. `.ci/run` installs it
 * earlier (`scripts/spec-conformance.ts --prepare`); then this is a no-op.
 */
export function setup(): void {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  try {
    ensurePrism(join(root, 'node_modules', '.cache', 'tenon-conformance'));
  } catch {
    // The conformance files call ensurePrism again and fail with npm's output.
  }
}
