import { writeFileSync } from 'node:fs';
import { exerciseApp } from '/work/wt/spec-oracle/scripts/conformance/exercise.ts';
import { ensurePrism } from '/work/wt/spec-oracle/scripts/conformance/prism.ts';
import { loadSpec } from '/work/wt/spec-oracle/scripts/conformance/spec-reader.ts';
import { bootServer, runCommand } from '/work/wt/spec-oracle/scripts/conformance/processes.ts';
const dir = process.argv[2]!;
const env = { PGLITE_DIR: `${dir}/.d`, JWT_SECRET: 'Kq8vZ2mW9xR4tY7uP3sN6bC1dF5gH0jLaE', RATE_LIMIT_MAX: '100000' };
const admin = { email: 'a@example.test', password: 'Correct-Horse-Battery-9' };
console.log((await runCommand(dir, 'npm', ['run', 'build'])).ok);
console.log((await runCommand(dir, process.execPath, ['dist/migrate.js'], env)).output);
console.log((await runCommand(dir, process.execPath, ['dist/create-admin.js', '--email', admin.email, '--password', admin.password], env)).output);
const server = await bootServer(dir, env);
try {
  const spec = await (await fetch(`${server.base}/openapi.json`)).json();
  writeFileSync('/tmp/so/served.json', JSON.stringify(spec));
  const r = await exerciseApp({ spec: loadSpec('/tmp/so/served.json'), specFile: '/tmp/so/served.json', app: server.base, prismBin: ensurePrism('/work/wt/spec-oracle/node_modules/.cache/tenon-conformance').bin, admin });
  for (const op of r.operations) console.log(op.method, op.path, op.status, op.refused ?? '', JSON.stringify(op.violations));
} finally { console.log('exit', await server.stop()); console.log(server.log().slice(-2000)); }
