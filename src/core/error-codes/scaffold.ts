import type { ErrorCodeInfo } from './error-code-info.js';

/** Codes raised by `tenon new` and `tenon generate`. */
export const scaffoldErrorCodes = {
  TENON_SCAFFOLD_SPEC_NOT_FOUND: {
    kind: 'usage',
    summary: 'The spec file, or a file it refers to with $ref, cannot be read.',
  },
  TENON_SCAFFOLD_SPEC_INVALID: {
    kind: 'usage',
    summary:
      'The spec is not valid OpenAPI 3.0/3.1; one run reports every problem (details.problems: code, JSON pointer, message, hint).',
  },
  TENON_SCAFFOLD_SPEC_UNSUPPORTED: {
    kind: 'usage',
    summary: 'The spec is valid but uses a construct the generator cannot turn into a table or a validator.',
  },
  TENON_SCAFFOLD_DSL_INVALID: {
    kind: 'usage',
    summary: 'The --resources text does not follow the resource grammar.',
  },
  TENON_SCAFFOLD_PERMISSION_MISSING: {
    kind: 'usage',
    summary:
      "The spec's root declares an x-tenon-permissions map but an operation has no rule; the message names it.",
  },
  TENON_SCAFFOLD_ROLE_UNKNOWN: {
    kind: 'usage',
    summary: 'An access rule names a role that is neither admin, user nor declared in x-tenon-roles.',
  },
  TENON_SCAFFOLD_NAME_INVALID: {
    kind: 'usage',
    summary:
      'A resource, field or operation name is reserved or collides after case conversion (an OpenAPI resource degrades instead).',
  },
  TENON_SCAFFOLD_TARGET_NOT_EMPTY: {
    kind: 'usage',
    summary: 'The target directory of tenon new exists and is not empty; pass --force to write into it.',
  },
  TENON_SCAFFOLD_NOT_A_PROJECT: {
    kind: 'usage',
    summary: 'tenon generate was run outside a generated project (no .tenon/manifest.json).',
  },
  TENON_SCAFFOLD_NO_INPUT: {
    kind: 'usage',
    summary: 'Neither --from nor --resources was given, and the project has no recorded input.',
  },
  TENON_SCAFFOLD_TEMPLATE_FAILED: {
    kind: 'usage',
    summary: 'A template could not be rendered; the message names the template file.',
  },
  TENON_SCAFFOLD_INSTALL_FAILED: {
    kind: 'runtime',
    summary: 'npm install failed in the generated project.',
  },
} as const satisfies Record<string, ErrorCodeInfo>;
