import { Cron } from 'croner';
import { runTimer, type TimerDefinition } from '../definitions.js';
import type { Services } from '../ports.js';
import { NCRONTAB_OPTIONS } from '../domain/schedule.js';
import { consoleLogger } from './logger.js';

/** Every 10 s: what npm start (and the tests that watch timers) run on, so a laptop's store feels alive. */
export const LIVELY_SCHEDULE = '*/10 * * * * *';

/**
 * Runs timer functions on the schedules their settings name, read from the config as the
 * Functions host reads %NAME%; a tick still running is not started again.
 */
export function startTimers(definitions: readonly TimerDefinition[], services: Services): { stop(): Promise<void> } {
  const running = new Set<Promise<void>>();
  const jobs = definitions.map((definition) => {
    const log = consoleLogger(definition.name);
    const { expression } = services.config.schedules[definition.scheduleSetting];
    return new Cron(expression, { ...NCRONTAB_OPTIONS, protect: true }, async () => {
      const tick = runTimer(definition, services, log).catch((error: unknown) => log.error('timer run failed', error));
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
