// Run before `npm run dev`, `npm start`, `npm test` and `npm run create-admin` (their `pre` scripts).
//
// argon2 is a native module: a binary built for one Node.js may crash another as it loads. Its
// prebuilt Linux binary (argon2 0.45) asks for Node-API 10, which Node.js 20 and 22 before 22.14
// lack; Debian's Node.js 20 then dies with SIGSEGV while loading it, before any line of the app
// runs, so `npm start` ended without a word. A child process loads each native module first: if
// it dies, this says why and what to do, and the script it guards does not start.
import { spawnSync } from 'node:child_process';
import process from 'node:process';

const NATIVE = ['argon2'];

for (const name of NATIVE) {
  const child = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(name)})`], { encoding: 'utf8' });
  if (child.status === 0) continue;
  const error = child.stderr.split('\n').find((line) => /^(?:[A-Z][A-Za-z]*)?Error\b/.test(line))?.trim();
  const how = child.signal ? `died with ${child.signal}` : `failed${error ? `: ${error}` : ` (exit ${child.status})`}`;
  process.stderr.write(
    `${name} cannot be loaded by this Node.js (${process.version}, Node-API ${process.versions.napi}): a process loading it ${how}.\n` +
      `Its native binary was built for another Node.js (a prebuilt binary, or an install under another version).\n` +
      `Run \`npm rebuild ${name}\` with this Node.js (it builds from source: python3, make and a C++ compiler), or use Node.js 22.14+ or 24+.\n`,
  );
  process.exit(1);
}
