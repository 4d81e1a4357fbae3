// A minimal loopback API for bench/load-scenario.ts, on raw sockets so that
// it is not the bottleneck: POST /login → {"token"}, POST /items (Bearer) →
// 201 {"id"} + Location, GET /items/<id> (Bearer) → the item, else 401/404.
// Usage: node bench/support/flow-server.mjs PORT  (prints "ready")
import net from 'node:net';

const port = Number(process.argv[2]);
const items = new Map();
let nextId = 0;
let requests = 0;

function reply(status, body, extra = '') {
  return `HTTP/1.1 ${status}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${extra}\r\n${body}`;
}

function respond(method, path, head, body) {
  requests++;
  if (method === 'POST' && path === '/login') return reply('200 OK', '{"token":"t-bench"}');
  if (!/\r\nauthorization: Bearer t-bench/i.test(head))
    return reply('401 Unauthorized', '{"error":"unauthorized"}');
  if (method === 'POST' && path === '/items') {
    const id = ++nextId;
    items.set(id, body);
    return reply('201 Created', `{"id":${id}}`, `Location: /items/${id}\r\n`);
  }
  if (method === 'GET' && path.startsWith('/items/')) {
    const id = Number(path.slice(7));
    const item = items.get(id);
    if (item !== undefined) return reply('200 OK', `{"id":${id},"item":${item}}`);
  }
  return reply('404 Not Found', '{"error":"not found"}');
}

net
  .createServer((socket) => {
    socket.setNoDelay(true);
    let buffer = '';
    socket.on('data', (chunk) => {
      buffer += chunk.toString('latin1');
      let out = '';
      for (;;) {
        const end = buffer.indexOf('\r\n\r\n');
        if (end < 0) break;
        const head = buffer.slice(0, end);
        const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
        if (buffer.length < end + 4 + length) break;
        const body = buffer.slice(end + 4, end + 4 + length);
        buffer = buffer.slice(end + 4 + length);
        const [method, path] = head.slice(0, head.indexOf('\r\n')).split(' ');
        out += respond(method, path, head, body);
      }
      if (out) socket.write(out);
    });
    socket.on('error', () => {});
  })
  .listen(port, '127.0.0.1', () => console.log('ready'));

process.on('SIGTERM', () => {
  console.error(`flow server: ${requests} requests, ${items.size} items`);
  process.exit(0);
});
