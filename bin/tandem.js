#!/usr/bin/env node
// The `tandem` command. Runs the compiled program (npm start and npm run build produce dist/).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('Tandem is not built yet: run `npm run build` (npm start does it for you).\n');
  process.exit(1);
}
const { main } = await import(entry.href);
await main(process.argv);
