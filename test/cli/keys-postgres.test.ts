/** `tandem keys …` on PostgreSQL (the suite: keys-suite.ts). */
import { describeKeys } from './keys-suite.js';

describeKeys(['postgres']);
