import { Cron } from 'croner';
import type { TimerDefinition } from '../definitions.js';
import type { Services } from '../composition.js';
import { consoleLogger } from './logger.js';

/** Runs timer functions on their NCRONTAB schedules; a tick still running is not started again. */
export function startTimers(definitions: readonly TimerDefinition[], services: Services): { stop(): Promise<void> } {
  const running = new Set<Promise<void>>();
  const jobs = definitions.map((definition) => {
    const log = consoleLogger(definition.name);
    return new Cron(definition.schedule, { protect: true }, async () => {
      const tick = definition.handler(services, log).catch((error: unknown) => log.error('timer run failed', error));
      running.add(tick);
      await tick;
      running.delete(tick);
    });
  });
  return {
    async stop() {
      for (const job of jobs) job.stop();
      await Promise.all(running);
    },
  };
}
