import { abortStaleUploads } from '../api/s3/s3-multipart.js';
import type { EngineTask } from './engine.js';

/** Multipart uploads left incomplete for a day are aborted and their parts freed. */
export const abortStaleUploadsTask: EngineTask = {
  name: 'abort-stale-uploads',
  idleIntervalMs: 600_000,
  run: (resources) => abortStaleUploads(resources),
};
