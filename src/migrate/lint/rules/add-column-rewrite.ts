import { alterTableFindings } from '../alter-table-findings.js';
import type { LintRule, RuleFinding } from '../lint-rule.js';
import { columnDefinition, nodeKind, unwrap } from '../sql-tree.js';
import { calledFunctions, expressionVolatility } from '../volatility.js';

const SERIAL = new Set(['serial', 'serial4', 'bigserial', 'serial8', 'smallserial', 'serial2']);

function isNullConstant(expr: unknown): boolean {
  return nodeKind(expr) === 'A_Const' && unwrap(expr, 'A_Const')?.isnull === true;
}

/** `ADD COLUMN` that makes PostgreSQL write every existing row again. */
export const addColumnRewrite: LintRule = {
  name: 'add-column-rewrite',
  summary:
    'ADD COLUMN with a volatile default, a stored generated value, an identity or serial (or any default before PostgreSQL 11) rewrites the table under ACCESS EXCLUSIVE.',
  defaultSeverity: 'error',
  effect: 'rewrite',
  counterparts: {
    squawk: ['adding-field-with-default', 'adding-serial-primary-key-field'],
    strongMigrations: [
      'add_column_default',
      'add_column_default_callable',
      'add_column_generated_stored',
      'add_column_auto_incrementing',
    ],
  },
  examples: {
    bad: [
      'alter table users add column token uuid default gen_random_uuid();',
      'alter table users add column score float8 not null default random();',
      'alter table users add column full_name text generated always as (first || last) stored;',
      'alter table users add column seq bigint generated always as identity;',
      'alter table users add column n bigserial;',
      'alter table users add column created_at timestamptz default clock_timestamp();',
    ],
    good: [
      'alter table users add column active boolean not null default false;',
      'alter table users add column created_at timestamptz not null default now();',
      "alter table users add column tags text[] not null default '{}';",
      'alter table users add column note text;',
      'create table users (id bigint primary key); alter table users add column token uuid default gen_random_uuid();',
    ],
  },
  check(ctx) {
    return alterTableFindings(ctx, (cmd, table, add) => {
      if (cmd.subtype !== 'AT_AddColumn') return;
      const column = columnDefinition(cmd.def);
      if (!column) return;
      const where = `${table.name}.${column.name}`;
      const rewrite = (why: string, at: unknown): RuleFinding => ({
        message: `${why}, so PostgreSQL writes every row of ${table.name} again while holding ACCESS EXCLUSIVE (no reads, no writes).`,
        fix: `Add ${where} without the default (a NULL column is instant), set the default in a second statement (it applies to new rows only), then backfill existing rows in batches.`,
        at,
        table,
      });
      if (column.type && SERIAL.has(column.type.name)) {
        add(rewrite(`${where} is ${column.type.name}: its nextval() default is volatile`, column.node));
        return;
      }
      for (const constraint of column.constraints) {
        if (constraint.contype === 'CONSTR_DEFAULT' && !isNullConstant(constraint.raw_expr)) {
          if (ctx.settings.serverVersion < 110000) {
            add(
              rewrite(`Before PostgreSQL 11 any default on a new column is written to every row`, constraint),
            );
            continue;
          }
          const volatility = expressionVolatility(constraint.raw_expr, ctx.volatility);
          if (volatility === 'volatile') {
            add(rewrite(`The default of ${where} is volatile (evaluated once per row)`, constraint.raw_expr));
          } else if (volatility === 'unknown') {
            const unknown = [...calledFunctions(constraint.raw_expr)].filter(
              (f) => ctx.volatility(f) === 'unknown',
            );
            const what = unknown.length > 0 ? ` (${unknown.map((f) => `${f}()`).join(', ')})` : '';
            add({
              message: `tenon cannot tell whether the default of ${where}${what} is volatile; if it is, PostgreSQL writes every row of ${table.name} again under ACCESS EXCLUSIVE. Lint with --database-url to look the function up.`,
              fix: rewrite('', undefined).fix,
              at: constraint.raw_expr,
              table,
              severity: 'warning',
            });
          }
        } else if (constraint.contype === 'CONSTR_GENERATED' && constraint.generated_kind !== 'v') {
          add(
            rewrite(`${where} is a stored generated column: its value is computed for every row`, constraint),
          );
        } else if (constraint.contype === 'CONSTR_IDENTITY') {
          add(rewrite(`${where} is an identity column: every existing row gets a value`, constraint));
        }
      }
    });
  },
};
