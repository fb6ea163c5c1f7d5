import type { Resources } from '../resources.js';

/** One background duty: does a bounded batch of work and says how much it did. */
export interface EngineTask {
  name: string;
  /** Pause between runs when the last run found nothing to do. */
  idleIntervalMs: number;
  run(resources: Resources): Promise<number>;
}

export interface Engine {
  /** Runs every task once now (tests call this instead of waiting for timers). */
  tick(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Runs the background tasks. Every task reads its work from the store and claims it with a
 * conditional update, so several processes sharing one PostgreSQL may run the same tasks
 * without doing any piece of work twice; a task that found work runs again at once.
 */
export function startEngine(resources: Resources, tasks: EngineTask[]): Engine {
  let stopped = false;
  const timers = new Set<NodeJS.Timeout>();
  const running = new Set<Promise<unknown>>();

  const runTask = async (task: EngineTask): Promise<number> => {
    try {
      return await task.run(resources);
    } catch (error) {
      resources.logger.error({ err: error, task: task.name }, 'engine task failed');
      return 0;
    }
  };

  const schedule = (task: EngineTask, delay: number) => {
    if (stopped) return;
    const timer = setTimeout(() => {
      timers.delete(timer);
      const run = runTask(task).then((done) => schedule(task, done > 0 ? 0 : task.idleIntervalMs));
      running.add(run);
      void run.finally(() => running.delete(run));
    }, delay);
    timer.unref();
    timers.add(timer);
  };

  for (const task of tasks) schedule(task, task.idleIntervalMs);

  return {
    async tick() {
      for (const task of tasks) await runTask(task);
    },
    async stop() {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await Promise.allSettled([...running]);
    },
  };
}
