/** `tandem workers …` on PostgreSQL (the suite: workers-cli-suite.ts). */
import { describeWorkersCli } from './workers-cli-suite.js';

describeWorkersCli('postgres');
