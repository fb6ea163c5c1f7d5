/** `tandem keys …` on SQLite (the suite: keys-suite.ts). */
import { describeKeys } from './keys-suite.js';

describeKeys(['sqlite']);
