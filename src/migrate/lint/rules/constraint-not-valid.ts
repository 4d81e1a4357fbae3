import { alterTableFindings } from '../alter-table-findings.js';
import type { LintRule } from '../lint-rule.js';
import { alterCommands, columnDefinition, rangeVarName, unwrap } from '../sql-tree.js';

/** CHECK and FOREIGN KEY constraints added with a validating scan under a strong lock. */
export const constraintNotValid: LintRule = {
  name: 'constraint-not-valid',
  summary:
    'ADD CONSTRAINT … CHECK / FOREIGN KEY without NOT VALID scans the table under a lock that blocks writes (CHECK: all access); so does VALIDATE in the same transaction as the NOT VALID.',
  defaultSeverity: 'error',
  effect: 'scan',
  counterparts: {
    squawk: ['constraint-missing-not-valid', 'adding-foreign-key-constraint'],
    strongMigrations: [
      'add_check_constraint',
      'add_foreign_key',
      'validate_check_constraint',
      'validate_foreign_key',
    ],
  },
  examples: {
    bad: [
      'alter table orders add constraint orders_amount_positive check (amount > 0);',
      'alter table orders add constraint orders_user_fk foreign key (user_id) references users (id);',
      'alter table orders add constraint c check (amount > 0) not valid; alter table orders validate constraint c;',
      'alter table orders add column user_id bigint references users (id);',
    ],
    good: [
      'alter table orders add constraint orders_amount_positive check (amount > 0) not valid;',
      'alter table orders validate constraint orders_amount_positive;',
      'create table orders (id bigint, amount int); alter table orders add constraint c check (amount > 0);',
    ],
  },
  check(ctx) {
    return alterTableFindings(ctx, (cmd, table, add) => {
      if (cmd.subtype === 'AT_AddConstraint') {
        const c = unwrap(cmd.def, 'Constraint');
        if (!c || c.skip_validation === true) return;
        const name = typeof c.conname === 'string' ? `${c.conname} ` : '';
        if (c.contype === 'CONSTR_CHECK') {
          add({
            message: `Adding CHECK ${name}to ${table.name} reads every row to validate it while holding ACCESS EXCLUSIVE (no reads, no writes).`,
            fix: `Add it with NOT VALID (instant; new rows are checked), then VALIDATE CONSTRAINT in a later migration: validation takes SHARE UPDATE EXCLUSIVE, which lets reads and writes through.`,
            at: cmd.node,
            table,
          });
        } else if (c.contype === 'CONSTR_FOREIGN') {
          const ref = rangeVarName(c.pktable);
          add({
            message: `Adding FOREIGN KEY ${name}to ${table.name} reads every row to validate it while holding SHARE ROW EXCLUSIVE on ${table.name}${ref ? ` and ${ref.name}` : ''}: writes to both wait.`,
            fix: `Add it with NOT VALID (new rows are checked at once), then VALIDATE CONSTRAINT in a later migration (SHARE UPDATE EXCLUSIVE on ${table.name}, ROW SHARE on ${ref?.name ?? 'the referenced table'}).`,
            at: cmd.node,
            table,
          });
        }
      } else if (cmd.subtype === 'AT_AddColumn') {
        const column = columnDefinition(cmd.def);
        const fk = column?.constraints.find((c) => c.contype === 'CONSTR_FOREIGN');
        const ref = fk ? rangeVarName(fk.pktable) : undefined;
        if (!column || !fk || !ref) return;
        add({
          message: `${table.name}.${column.name} REFERENCES ${ref.name}: adding the foreign key takes SHARE ROW EXCLUSIVE on ${ref.name}, so writes to ${ref.name} wait while this migration's transaction is open.`,
          fix: `Add the column without REFERENCES, then ADD CONSTRAINT … FOREIGN KEY … NOT VALID and VALIDATE CONSTRAINT in a later migration; keep that transaction short.`,
          at: fk,
          table: ref,
          effect: 'lock',
          severity: 'warning',
        });
      } else if (cmd.subtype === 'AT_ValidateConstraint' && cmd.name && ctx.migration.transactional) {
        const key = `${ctx.table(table).key}.${cmd.name}`;
        const addedHere = ctx.earlier.some(
          (s) =>
            s.kind === 'AlterTableStmt' &&
            alterCommands(s.stmt).some(
              (c) => c.subtype === 'AT_AddConstraint' && unwrap(c.def, 'Constraint')?.conname === cmd.name,
            ),
        );
        if (!addedHere || !ctx.state.notValidConstraints.has(key)) return;
        add({
          message: `VALIDATE CONSTRAINT ${cmd.name} runs in the same transaction that added it NOT VALID: the ACCESS EXCLUSIVE (or SHARE ROW EXCLUSIVE) lock of the ADD is still held during the validating scan, so NOT VALID gains nothing.`,
          fix: 'Move VALIDATE CONSTRAINT to the next migration (its own transaction).',
          at: cmd.node,
          table,
        });
      }
    });
  },
};
