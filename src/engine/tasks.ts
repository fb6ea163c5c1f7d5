import type { EngineTask } from './engine.js';
import { finishStoppingTask } from './finish-stopping.js';
import { deliverEventsTask, pruneEventsTask } from './events.js';
import { retentionTask } from './retention.js';
import { abortStaleUploadsTask } from './stale-uploads.js';
import { releaseIdleLeasesTask } from './idle-leases.js';
import { completeAnsweredLoopsTask, expireOverdueLoopsTask, requeueExpiredLeasesTask } from './review-timers.js';

/** Every background task a Tandem server runs. */
export const ENGINE_TASKS: EngineTask[] = [
  finishStoppingTask,
  requeueExpiredLeasesTask,
  releaseIdleLeasesTask,
  expireOverdueLoopsTask,
  completeAnsweredLoopsTask,
  retentionTask,
  deliverEventsTask,
  pruneEventsTask,
  abortStaleUploadsTask,
];
