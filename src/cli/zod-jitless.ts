import * as z from 'zod';

// A CLI process validates a few objects once (the settings, a command's options, a config file):
// zod's compiled fast path for an object schema (generated JavaScript, then eval) costs more to
// build than it saves on one parse: ~5 ms of CPU in every `tenon migrate status`
// (docs/migrate.md#performance). zod reads the setting when an object schema is built, at the
// import of the module that declares it: `bin.ts` imports this module before any of them. The
// library (`import … from 'tenon'`) leaves zod's setting to the program that imports it.
z.config({ jitless: true });
