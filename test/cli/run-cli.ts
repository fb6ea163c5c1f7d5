/**
 * Runs the `tandem` command from source, as bin/tandem.js runs the built one, for tests that
 * drive the CLI in a child process:
 *
 *   node --import tsx test/cli/run-cli.ts keys list --json
 */
import { main } from '../../src/cli/main.js';

await main(process.argv);
