// Periodic work of a running service: webhook delivery and expiry of overdue validations. Every step is a
// conditional write, so several service processes on one database can run these side by side.

export interface Job {
  name: string;
  everyMs: number;
  run(): Promise<unknown>;
}

export function startJobs(jobs: readonly Job[], onError: (job: string, err: unknown) => void) {
  const timers: NodeJS.Timeout[] = [];
  const running = new Set<Promise<unknown>>();
  let stopped = false;
  for (const job of jobs) {
    let busy = false;
    const tick = () => {
      if (busy || stopped) return;
      busy = true;
      const p = job
        .run()
        .catch((err) => onError(job.name, err))
        .finally(() => {
          busy = false;
          running.delete(p);
        });
      running.add(p);
    };
    timers.push(setInterval(tick, job.everyMs).unref());
  }
  return {
    /** Stops scheduling and waits for runs in progress. */
    async stop() {
      stopped = true;
      for (const t of timers) clearInterval(t);
      await Promise.allSettled([...running]);
    },
  };
}
