import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeDatabase } from '../../../src/analyze/index.js';
import { connect, type Database } from '../../../src/core/db/index.js';
import { createTempDatabase, requirePostgres, type TempDatabase } from '../../support/services.js';

const server = await requirePostgres();

/** Like Pagila's payment: indexes and keys made per partition, and one partition made without them. */
const SCHEMA = `
  create table customer (customer_id int primary key);
  insert into customer select generate_series(1, 10);
  create table payment (payment_id int not null, customer_id int not null, paid_at date not null,
    primary key (paid_at, payment_id)) partition by range (paid_at);
  create table events (id int not null, at date not null, kind text) partition by range (at);
`;

function partitions(): string {
  const out: string[] = [];
  for (let m = 1; m <= 4; m++) {
    const from = `2022-0${m}-01`;
    const to = `2022-0${m + 1}-01`;
    out.push(`create table payment_p${m} partition of payment for values from ('${from}') to ('${to}');`);
    out.push(`create table events_p${m} partition of events for values from ('${from}') to ('${to}');`);
    out.push(`create index events_p${m}_kind_idx on events_p${m} (kind);`);
    if (m === 4) continue;
    out.push(`create index payment_p${m}_customer_id_idx on payment_p${m} (customer_id);`);
    out.push(`alter table payment_p${m} add foreign key (customer_id) references customer (customer_id);`);
  }
  // One partition with an index of its own only: deliberate, not reported.
  out.push('create index events_p1_at_idx on events_p1 (at);');
  return out.join('\n');
}

describe.skipIf(!server.available)(`partition-consistency (${server.reason})`, () => {
  let temp: TempDatabase;
  let db: Database;

  beforeAll(async () => {
    temp = await createTempDatabase(undefined, 'analyze_window_part');
    db = await connect({ databaseUrl: temp.url, maxConnections: 1 });
    await db.exec(SCHEMA + partitions());
  }, 60_000);

  afterAll(async () => {
    await db?.close();
    await temp?.drop();
  });

  it('names the partition that lacks its siblings’ index and foreign key; the fix it shows makes it consistent', async () => {
    const run = () => analyzeDatabase({ db, config: { only: ['partition-consistency'] } });
    const first = await run();
    expect(first.findings.map((f) => f.title)).toEqual([
      'public.payment_p4 lacks index (customer_id), foreign key (customer_id) → public.customer that its sibling partitions of public.payment have',
    ]);
    const fix = first.findings[0]!.fix!;
    expect(fix.migration).toBe(false);
    for (const statement of fix.up.split('\n')) await db.exec(statement);
    const second = await run();
    expect(second.checks[0]?.status).toBe('ran');
    expect(second.findings).toEqual([]);
  });
});
