import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { DIRECT_WRITES, DirectWriter } from '../../src/load/direct-write.js';

const servers: net.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

/** A loopback server that hands each accepted socket to `onSocket`; resolves with its port. */
async function listen(onSocket: (socket: net.Socket) => void): Promise<number> {
  const server = net.createServer(onSocket);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as net.AddressInfo).port;
}

function connect(port: number, onread?: net.OnReadOpts): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host: '127.0.0.1', noDelay: true, onread });
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

describe('DirectWriter', () => {
  // Node 20–24 expose their write requests; if a Node drops them the writer falls back to
  // socket.write and this says so, instead of the bench silently measuring the slower path.
  it('writes straight to the handle on this Node', () => {
    expect(DIRECT_WRITES).toBe(true);
  });

  it('delivers every byte of repeated writes, in order', async () => {
    let received = Buffer.alloc(0);
    const got = new Promise<void>((resolve) => {
      void listen((s) =>
        s.on('data', (chunk) => {
          received = Buffer.concat([received, chunk]);
          if (received.length === 3 * 5) resolve();
        }),
      ).then(async (port) => {
        const socket = await connect(port);
        const writer = new DirectWriter(socket, (code) => {
          throw new Error(`unexpected failure ${code}`);
        });
        for (const text of ['one..', 'two..', 'three']) writer.write(Buffer.from(text));
        await got;
        socket.destroy();
      });
    });
    await got;
    expect(received.toString()).toBe('one..two..three');
  });

  // A write larger than the socket's send buffer completes later (libuv keeps the request):
  // the writer must take a fresh request for the next write and still deliver everything.
  it('delivers a write that does not complete at once, and the writes after it', async () => {
    const big = Buffer.alloc(8 * 1024 * 1024, 97);
    const tail = Buffer.from('END');
    let length = 0;
    let last = '';
    let socket: net.Socket | undefined;
    const done = new Promise<void>((resolve) => {
      void listen((s) => {
        s.pause();
        // Read only after the client has queued both writes, so the first cannot go out at once.
        setTimeout(() => s.resume(), 200);
        s.on('data', (chunk) => {
          length += chunk.length;
          last = (last + chunk.toString('latin1')).slice(-3);
          if (length === big.length + tail.length) resolve();
        });
      }).then(async (port) => {
        socket = await connect(port);
        const writer = new DirectWriter(socket, (code) => {
          throw new Error(`unexpected failure ${code}`);
        });
        writer.write(big);
        writer.write(tail);
      });
    });
    await done;
    socket?.destroy();
    expect(length).toBe(big.length + tail.length);
    expect(last).toBe('END');
  }, 30_000);

  it('reports a write to a connection the peer reset with its error code', async () => {
    let reset!: () => void;
    const closed = new Promise<void>((r) => {
      reset = r;
    });
    const port = await listen((s) => {
      setTimeout(() => {
        s.resetAndDestroy();
        reset();
      }, 50);
    });
    // Reading into a buffer, as the engine does; paused, such a socket stops reading, so the
    // client does not see the reset until it writes.
    const socket = await connect(port, { buffer: Buffer.alloc(1024), callback: () => true });
    socket.pause();
    socket.on('error', () => undefined);
    await closed;
    // Give the RST time to arrive; then writes fail (the first may still be accepted by the kernel).
    await new Promise((r) => setTimeout(r, 100));
    const codes: string[] = [];
    const writer = new DirectWriter(socket, (code) => codes.push(code));
    for (let i = 0; i < 5 && codes.length === 0; i++) {
      writer.write(Buffer.from('GET / HTTP/1.1\r\n\r\n'));
      await new Promise((r) => setTimeout(r, 20));
    }
    socket.destroy();
    expect(codes.length).toBeGreaterThan(0);
    expect(['EPIPE', 'ECONNRESET']).toContain(codes[0]);
  });

  it('falls back to socket.write before the socket has a handle', async () => {
    const socket = new net.Socket();
    const writes: unknown[] = [];
    socket.write = ((data: unknown) => {
      writes.push(data);
      return true;
    }) as typeof socket.write;
    new DirectWriter(socket, () => undefined).write(Buffer.from('x'));
    expect(writes).toHaveLength(1);
  });
});
