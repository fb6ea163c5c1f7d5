/** `tandem workers …` on SQLite (the suite: workers-cli-suite.ts). */
import { describeWorkersCli } from './workers-cli-suite.js';

describeWorkersCli('sqlite');
