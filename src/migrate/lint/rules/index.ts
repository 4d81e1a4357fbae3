import type { LintRule } from '../lint-rule.js';
import { addColumnRewrite } from './add-column-rewrite.js';
import { addNotNullColumn } from './add-not-null-column.js';
import { changeColumnType } from './change-column-type.js';
import { concurrentInTransaction } from './concurrent-in-transaction.js';
import { constraintNotValid } from './constraint-not-valid.js';
import { detachPartitionNotConcurrent } from './detach-partition-not-concurrent.js';
import { domainConstraint } from './domain-constraint.js';
import { dropCascade } from './drop-cascade.js';
import { dropColumn } from './drop-column.js';
import { dropDatabase } from './drop-database.js';
import { dropIndexNotConcurrent } from './drop-index-not-concurrent.js';
import { dropNotNull } from './drop-not-null.js';
import { dropTable } from './drop-table.js';
import { duplicateColumnAssignment } from './duplicate-column-assignment.js';
import { enumValueInTransaction } from './enum-value-in-transaction.js';
import { exclusiveLockHeld } from './exclusive-lock-held.js';
import { identifierTooLong } from './identifier-too-long.js';
import { indexNotConcurrent } from './index-not-concurrent.js';
import { lockTimeout } from './lock-timeout.js';
import { pg14ConcurrentIndex } from './pg14-concurrent-index.js';
import { preferBigint } from './prefer-bigint.js';
import { preferIdentity } from './prefer-identity.js';
import { preferJsonb } from './prefer-jsonb.js';
import { preferText } from './prefer-text.js';
import { preferTimestamptz } from './prefer-timestamptz.js';
import { reindexNotConcurrent } from './reindex-not-concurrent.js';
import { renameColumn } from './rename-column.js';
import { renameEnumValue } from './rename-enum-value.js';
import { renameTable } from './rename-table.js';
import { rewriteTableCommand } from './rewrite-table-command.js';
import { setNotNull } from './set-not-null.js';
import { transactionControl } from './transaction-control.js';
import { truncate } from './truncate.js';
import { uniqueWithoutIndex } from './unique-without-index.js';

/** Every lint rule, in the order findings of one statement are listed. */
export const lintRules: readonly LintRule[] = [
  addColumnRewrite,
  addNotNullColumn,
  setNotNull,
  changeColumnType,
  constraintNotValid,
  uniqueWithoutIndex,
  indexNotConcurrent,
  dropIndexNotConcurrent,
  reindexNotConcurrent,
  detachPartitionNotConcurrent,
  concurrentInTransaction,
  pg14ConcurrentIndex,
  rewriteTableCommand,
  exclusiveLockHeld,
  lockTimeout,
  enumValueInTransaction,
  transactionControl,
  renameColumn,
  renameTable,
  renameEnumValue,
  dropColumn,
  dropTable,
  dropNotNull,
  dropCascade,
  truncate,
  dropDatabase,
  domainConstraint,
  duplicateColumnAssignment,
  identifierTooLong,
  preferText,
  preferBigint,
  preferTimestamptz,
  preferIdentity,
  preferJsonb,
];
