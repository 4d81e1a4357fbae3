import { connect as connectSocket, type Socket } from 'node:net';
import pg from 'pg';
import Cursor from 'pg-cursor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgliteDatabase } from '../../src/core/db/pglite-database.js';
import { type PgliteServer, servePglite } from '../../src/demo/pglite-server.js';
import { cString, wireMessage } from '../../src/demo/wire-message.js';

/** One backend message as a raw client sees it. */
interface Reply {
  type: string;
  body: Buffer;
}

/**
 * A client that speaks the wire protocol byte by byte, for the exchanges
 * `pg` never produces on its own (a batch cut off before its Sync,
 * Terminate in the middle, garbage).
 */
class RawClient {
  readonly replies: Reply[] = [];
  closed = false;
  #buffer = Buffer.alloc(0);
  #waiters: (() => void)[] = [];

  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.#buffer = Buffer.concat([this.#buffer, chunk]);
      while (this.#buffer.length >= 5 && this.#buffer.length >= 1 + this.#buffer.readInt32BE(1)) {
        const length = 1 + this.#buffer.readInt32BE(1);
        this.replies.push({
          type: String.fromCharCode(this.#buffer[0]!),
          body: this.#buffer.subarray(5, length),
        });
        this.#buffer = this.#buffer.subarray(length);
      }
      this.#wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.#wake();
    });
    socket.on('error', () => undefined);
  }

  #wake(): void {
    for (const waiter of this.#waiters.splice(0)) waiter();
  }

  static async open(port: number, startup = true): Promise<RawClient> {
    const socket = connectSocket(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    const client = new RawClient(socket);
    if (startup) {
      const body = Buffer.concat([
        Buffer.from([0, 3, 0, 0]),
        cString('user'),
        cString('postgres'),
        cString('database'),
        cString('postgres'),
        Buffer.from([0]),
      ]);
      const head = Buffer.alloc(4);
      head.writeInt32BE(body.length + 4);
      client.send(Buffer.concat([head, body]));
      await client.until((r) => r.type === 'Z');
      client.replies.length = 0;
    }
    return client;
  }

  send(...messages: Buffer[]): void {
    this.socket.write(Buffer.concat(messages));
  }

  /** Resolves with the first reply that matches, or undefined when the server closes the connection first. */
  async until(match: (reply: Reply) => boolean, timeoutMs = 5000): Promise<Reply | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.replies.find(match);
      if (found || this.closed) return found;
      if (Date.now() > deadline) throw new Error(`no matching reply within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        this.#waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }

  /** Resolves once the server has closed the connection. */
  async closedByServer(timeoutMs = 5000): Promise<boolean> {
    await this.until(() => false, timeoutMs).catch(() => undefined);
    return this.closed;
  }
}

const parse = (sql: string) =>
  wireMessage('P', Buffer.concat([cString(''), cString(sql), Buffer.from([0, 0])]));
const bind = () => wireMessage('B', Buffer.concat([cString(''), cString(''), Buffer.alloc(6)]));
const execute = () => wireMessage('E', Buffer.concat([cString(''), Buffer.alloc(4)]));
const flush = () => wireMessage('H');
const sync = () => wireMessage('S');
const terminate = () => wireMessage('X');
const query = (sql: string) => wireMessage('Q', cString(sql));
/** The SQLSTATE of an ErrorResponse body. */
const sqlState = (reply: Reply | undefined) =>
  /\0C([0-9A-Z]{5})\0/.exec(`\0${reply?.body.toString('latin1')}`)?.[1];

/** A promise's settled state without waiting for it. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  void promise.then(
    () => {
      done = true;
    },
    () => {
      done = true;
    },
  );
  // Let the server run everything that can run now.
  for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 20));
  return done;
}

describe('servePglite: one in-process PGlite over the wire protocol', () => {
  let db: PgliteDatabase;
  let server: PgliteServer;
  let pool: pg.Pool;
  const count = async (where = 'true') =>
    (await pool.query<{ n: number }>(`select count(*)::int as n from t where ${where}`)).rows[0]!.n;

  beforeAll(async () => {
    db = await PgliteDatabase.open({ dataDir: undefined, displayUrl: 'pglite://memory' });
    server = await servePglite(db.instance);
    pool = new pg.Pool({ connectionString: server.url, max: 4 });
  });
  afterAll(async () => {
    await pool?.end();
    await server?.close();
    await db?.close();
  });

  it('answers pg clients with parameters, and the process sees the same data', async () => {
    await pool.query('create table t (id int primary key, v text)');
    await Promise.all(
      Array.from({ length: 200 }, (_, i) => pool.query('insert into t values ($1, $2)', [i, `v${i}`])),
    );
    const { rows } = await pool.query<{ n: number }>('select count(*)::int as n from t where v like $1', [
      'v1%',
    ]);
    expect(rows[0]!.n).toBe(111);
    const inProcess = await db.query<{ n: number }>('select count(*)::int as n from t');
    expect(inProcess.rows[0]!.n).toBe(200);
  });

  it('keeps an open transaction to its client: others wait and never see its rows', async () => {
    const a = await pool.connect();
    try {
      await a.query('begin');
      await a.query("insert into t values (1000, 'uncommitted')");
      const other = count();
      // The other client waits for the backend while the transaction is open.
      expect(await settled(other)).toBe(false);
      await a.query('rollback');
      expect(await other).toBe(200);
    } finally {
      a.release();
    }
  });

  it('keeps a cursor to its client between fetches (Flush, no Sync): others wait, everyone gets their own rows', async () => {
    const a = await pool.connect();
    const b = new pg.Client({ connectionString: server.url });
    await b.connect();
    try {
      const cursor = a.query(new Cursor<{ id: number }>('select id from t order by id'));
      const first = await cursor.read(50);
      expect(first.map((r) => r.id)).toEqual(Array.from({ length: 50 }, (_, i) => i));
      // Mid cursor: another connection and this process's own queries wait for the backend ...
      const insert = b.query("insert into t values (5000, 'during the cursor') returning id");
      const inProcess = db.query<{ n: number }>('select count(*)::int as n from t where id < 5000');
      expect(await settled(insert)).toBe(false);
      expect(await settled(inProcess)).toBe(false);
      // ... and the cursor goes on where it stopped, unaffected by them.
      const rest: number[] = [];
      for (let rows = await cursor.read(37); rows.length; rows = await cursor.read(37))
        rest.push(...rows.map((r) => r.id));
      expect(rest).toEqual(Array.from({ length: 150 }, (_, i) => i + 50));
      await cursor.close();
      expect((await insert).rows).toEqual([{ id: 5000 }]);
      expect((await inProcess).rows[0]!.n).toBe(200);
    } finally {
      await b.query('delete from t where id = 5000');
      a.release();
      await b.end();
    }
  });

  it("serves pg's batched fetches (query with rows) while other clients query concurrently", async () => {
    const reader = new pg.Client({ connectionString: server.url });
    const others = new pg.Pool({ connectionString: server.url, max: 3 });
    await reader.connect();
    try {
      const big = reader.query<{ id: number; v: string }>({
        text: 'select id, v from t order by id',
        rows: 7,
      } as pg.QueryConfig);
      const small = Array.from({ length: 30 }, (_, i) =>
        others.query<{ v: string }>('select v from t where id = $1', [i]),
      );
      const result = await big;
      expect(result.rows.map((r) => r.id)).toEqual(Array.from({ length: 200 }, (_, i) => i));
      expect(result.rows.every((r) => r.v === `v${r.id}`)).toBe(true);
      expect((await Promise.all(small)).map((r) => r.rows[0]!.v)).toEqual(
        Array.from({ length: 30 }, (_, i) => `v${i}`),
      );
    } finally {
      await reader.end();
      await others.end();
    }
  });

  it('rolls back the transaction of a client that disconnects inside it', async () => {
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    await client.query('begin');
    await client.query("insert into t values (2000, 'lost')");
    await client.end();
    expect(await count('id = 2000')).toBe(0);
  });

  it('aborts the half-done exchange of a client that leaves after a Flush, instead of committing it', async () => {
    const raw = await RawClient.open(server.port);
    raw.send(parse("insert into t values (3000, 'half done')"), bind(), execute(), flush());
    await raw.until((r) => r.type === 'C');
    const other = count('id = 3000');
    expect(await settled(other)).toBe(false);
    raw.socket.destroy();
    expect(await other).toBe(0);
  });

  it('Terminate mid-batch: what came before the last Sync runs, the unsynced rest is dropped', async () => {
    const raw = await RawClient.open(server.port);
    raw.send(
      query("begin; insert into t values (3100, 'committed'); commit"),
      parse("insert into t values (3101, 'never synced')"),
      bind(),
      execute(),
      terminate(),
    );
    expect(await raw.closedByServer()).toBe(true);
    expect(await count('id in (3100, 3101)')).toBe(1);
    expect(await count('id = 3100')).toBe(1);
  });

  it('after an error the client keeps the backend until its Sync, then both go on', async () => {
    const raw = await RawClient.open(server.port);
    raw.send(parse('selec 1'), flush());
    const error = await raw.until((r) => r.type === 'E');
    expect(sqlState(error)).toBe('42601');
    // Until the Sync, the backend skips this client's messages; nobody else may use it meanwhile.
    const other = count();
    expect(await settled(other)).toBe(false);
    raw.send(parse('select 1'), bind(), execute(), flush());
    expect(await settled(other)).toBe(false);
    raw.send(sync());
    const ready = await raw.until((r) => r.type === 'Z');
    expect(ready?.body.toString()).toBe('I');
    // The messages between the error and the Sync were skipped, as by PostgreSQL.
    expect(raw.replies.filter((r) => r.type === 'D')).toHaveLength(0);
    expect(await other).toBe(201);
    raw.replies.length = 0;
    raw.send(query('select 41 + 1'));
    await raw.until((r) => r.type === 'Z');
    expect(
      raw.replies
        .find((r) => r.type === 'D')
        ?.body.subarray(6)
        .toString(),
    ).toBe('42');
    raw.socket.destroy();
  });

  it('refuses COPY FROM STDIN with SQLSTATE 0A000 and a hint, and keeps serving', async () => {
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    try {
      await expect(client.query('copy t from stdin')).rejects.toMatchObject({
        code: '0A000',
        hint: expect.stringMatching(/INSERT/),
      });
      // queryMode 'extended' (pg >= 8.12, not in @types/pg): Parse/Bind/Execute instead of a simple Query.
      const extended = { text: 'copy t (id) from stdin', queryMode: 'extended' } as pg.QueryConfig;
      await expect(client.query(extended)).rejects.toMatchObject({ code: '0A000' });
      // Inside a transaction it fails the transaction, as any error does.
      await client.query('begin');
      await expect(client.query('copy t from stdin with (format csv)')).rejects.toMatchObject({
        code: '0A000',
      });
      await expect(client.query('select 1')).rejects.toMatchObject({ code: '25P02' });
      await client.query('rollback');
      // COPY TO STDOUT is untouched.
      expect((await client.query('copy (select 1) to stdout')).command).toBe('COPY');
      expect((await client.query('select count(*)::int as n from t')).rows).toEqual([{ n: 201 }]);
    } finally {
      await client.end();
    }
    expect(await count()).toBe(201);
  });

  it('answers a cancel request by closing it; the statement runs to its end and the server goes on', async () => {
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    try {
      const slow = client.query<{ x: number }>('select 7 as x from pg_sleep(0.2)');
      // A cancel request for it (as pg's cancel sends it: 16 bytes with the key from BackendKeyData,
      // on a new connection); the server hangs up without an answer.
      const { processID, secretKey } = client as unknown as { processID: number; secretKey: number };
      const raw = await RawClient.open(server.port, false);
      const packet = Buffer.alloc(16);
      packet.writeInt32BE(16, 0);
      packet.writeInt32BE(80877102, 4);
      packet.writeInt32BE(processID, 8);
      packet.writeInt32BE(secretKey, 12);
      raw.send(packet);
      expect(await raw.closedByServer()).toBe(true);
      expect(raw.replies).toEqual([]);
      expect((await slow).rows).toEqual([{ x: 7 }]);
      expect((await client.query('select 1 as one')).rows).toEqual([{ one: 1 }]);
    } finally {
      await client.end();
    }
  });

  it('refuses what PGlite cannot take (unknown message types, bad lengths, other protocols) with FATAL 08P01/0A000', async () => {
    // An unknown message type would make PGlite's backend exit the whole process.
    const unknown = await RawClient.open(server.port);
    unknown.send(wireMessage('p', cString('secret')));
    expect(await unknown.closedByServer()).toBe(true);
    expect(sqlState(unknown.replies.find((r) => r.type === 'E'))).toBe('08P01');

    const badLength = await RawClient.open(server.port);
    badLength.send(Buffer.from([0x51, 0, 0, 0, 2]));
    expect(await badLength.closedByServer()).toBe(true);
    expect(sqlState(badLength.replies.find((r) => r.type === 'E'))).toBe('08P01');

    // An HTTP request: its first four bytes read as a huge start-up packet length.
    const http = await RawClient.open(server.port, false);
    http.send(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
    expect(await http.closedByServer()).toBe(true);

    const v2 = await RawClient.open(server.port, false);
    const packet = Buffer.alloc(8);
    packet.writeInt32BE(8, 0);
    packet.writeInt32BE(2 << 16, 4);
    v2.send(packet);
    expect(await v2.closedByServer()).toBe(true);
    expect(sqlState(v2.replies.find((r) => r.type === 'E'))).toBe('0A000');

    expect(await count()).toBe(201);
  });

  it('reports SQL errors to the client and keeps serving', async () => {
    await expect(pool.query('select * from missing_table')).rejects.toThrow(/missing_table/);
    expect((await pool.query('select 1 as one')).rows).toEqual([{ one: 1 }]);
  });

  it('closes: open clients are rolled back and the port stops accepting', async () => {
    const extra = await servePglite(db.instance);
    const client = new pg.Client({ connectionString: extra.url });
    client.on('error', () => undefined);
    await client.connect();
    await client.query('begin');
    await client.query("insert into t values (4000, 'open at close')");
    await extra.close();
    expect(await count('id = 4000')).toBe(0);
    const late = new pg.Client({ connectionString: extra.url, connectionTimeoutMillis: 1000 });
    await expect(late.connect()).rejects.toThrow(/ECONNREFUSED/);
  });
});
