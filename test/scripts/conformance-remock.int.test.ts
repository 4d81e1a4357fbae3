import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exerciseApp } from '../../scripts/conformance/exercise.js';
import { prismDir } from '../../scripts/conformance/prism.js';
import { loadSpec } from '../../scripts/conformance/spec-reader.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const specFile = join(root, 'test/scaffold/fixtures/remocked-handler.yaml');
const prismBin = join(
  prismDir(join(root, 'node_modules/.cache/tenon-conformance')),
  'node_modules/.bin/prism',
);
const spec = loadSpec(specFile);

// A fake app: its served document is the spec, and every operation is a handler not written yet (501).
let app: Server;
let base: string;
beforeAll(async () => {
  app = createServer((req, res) => {
    const id = String(req.headers['x-request-id'] ?? '');
    req.resume();
    req.on('end', () => {
      if (req.url === '/openapi.json') {
        res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': id });
        res.end(JSON.stringify(spec.root));
        return;
      }
      res.writeHead(501, { 'content-type': 'application/json', 'x-request-id': id });
      res.end(JSON.stringify({ error: { code: 'NOT_IMPLEMENTED', message: 'not written yet' } }));
    });
  });
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => app.close(() => resolve())));

// CI prepares prism; there a missing one is a failure, not a skip that hides it.
if (process.env.TENON_TEST_REQUIRE_SERVICES && !existsSync(prismBin)) {
  throw new Error(`prism is not installed at ${prismBin}: npx tsx scripts/spec-conformance.ts --prepare`);
}

describe.skipIf(!existsSync(prismBin))(
  `the oracle and prism's mock of a 501 (prism not installed: npx tsx scripts/spec-conformance.ts --prepare)`,
  () => {
    it("counts neither the mock's status nor its violations against the app", {
      timeout: 240_000,
    }, async () => {
      const report = await exerciseApp({
        spec,
        specFile,
        app: base,
        prismBin,
        admin: { email: 'unused@example.test', password: 'unused' },
        tokens: { admin: 'T' },
      });
      const xml = report.operations.find((o) => o.operationId === 'createWidget (application/xml)')!;
      // Prism found the XML body invalid and mocked the spec's 400, whose example breaks its schema.
      expect(xml.status).toBe(400);
      expect(xml).toMatchObject({ notImplemented: true, mockedByPrism: true });
      expect(xml.prismRefused).toBeUndefined();
      expect(xml.refused).toBeUndefined();
      // The JSON body's mock is a 201: not implemented either.
      expect(report.operations.every((o) => o.notImplemented)).toBe(true);
      expect(report).toMatchObject({ violations: 0, refused: 0, prismRefused: 0 });
      expect(report.notImplemented).toBe(report.operations.length);
    });
  },
);
