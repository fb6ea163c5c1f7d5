import type { EngineTask } from './engine.js';
import { finishStoppingTask } from './finish-stopping.js';

/** Every background task a Tandem server runs. */
export const ENGINE_TASKS: EngineTask[] = [finishStoppingTask];
