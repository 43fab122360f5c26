import { Cron } from 'croner';

/**
 * How croner must read a schedule to agree with the Functions host: exactly six fields, seconds
 * first, in UTC (Azure's default time zone). utcOffset rather than timezone 'UTC': same times,
 * without a time-zone conversion on every step (about fifty times faster).
 */
export const NCRONTAB_OPTIONS = { mode: '6-part', utcOffset: 0 } as const;

/** One NCRONTAB field: `*`, numbers or three-letter names, ranges, steps and lists; not croner's own L, W, # or ?. */
const ITEM = String.raw`(\*|(\d+|[a-z]{3})(-(\d+|[a-z]{3}))?)(\/\d+)?`;
const NCRONTAB_FIELD = new RegExp(`^${ITEM}(,${ITEM})*$`, 'i');

const SHAPE = 'six fields, second minute hour day month day-of-week, e.g. "0 */30 * * * *"';

/** A timer trigger's NCRONTAB schedule, as the Functions host reads it. */
export class TimerSchedule {
  private constructor(
    readonly expression: string,
    private readonly cron: Cron,
  ) {}

  /** Throws an Error saying what is wrong with an expression that is not six NCRONTAB fields, or never runs. */
  static parse(expression: string): TimerSchedule {
    const fields = expression.trim().split(/\s+/).filter(Boolean);
    if (fields.length !== 6) throw new Error(`must be an NCRONTAB schedule of ${SHAPE}; "${expression}" has ${fields.length}`);
    const odd = fields.find((field) => !NCRONTAB_FIELD.test(field));
    if (odd) throw new Error(`"${odd}" is not an NCRONTAB field (numbers, names like MON or JAN, *, ranges a-b, steps */n, lists a,b)`);
    let cron: Cron;
    try {
      cron = new Cron(fields.join(' '), NCRONTAB_OPTIONS);
    } catch (error) {
      throw new Error(`"${expression}" is not a valid NCRONTAB schedule: ${(error as Error).message.replace(/^CronPattern: /, '')}`);
    }
    if (!cron.nextRun()) throw new Error(`"${expression}" never runs`);
    return new TimerSchedule(fields.join(' '), cron);
  }

  /**
   * Seconds from the previous occurrence to the one a run at `at` belongs to (the latest at or
   * before `at`). A run that starts late still stands for its own whole interval.
   */
  secondsSincePreviousOccurrence(at: Date): number {
    const [current, previous] = this.cron.previousRuns(2, this.cron.nextRun(at)!);
    return (current!.getTime() - previous!.getTime()) / 1000;
  }

  /** When the timer fires from `from` (inclusive) to `to` (exclusive). */
  occurrencesBetween(from: Date, to: Date): Date[] {
    const runs = this.cron.match(from) ? [from] : [];
    for (let next = this.cron.nextRun(from); next && next < to; next = this.cron.nextRun(next)) runs.push(next);
    return runs;
  }

  /**
   * The first stretch between `from` and `to` longer than `limitSeconds` in which the timer does
   * not fire, or null. Jumps ahead a whole limit at a time, so a dense schedule costs few steps.
   */
  firstGapLongerThan(limitSeconds: number, from: Date, to: Date): { from: Date; to: Date } | null {
    const limitMs = limitSeconds * 1000;
    let at = this.cron.previousRuns(1, this.cron.nextRun(from)!)[0]!; // the run at or before `from`
    while (at < to) {
      const next = this.cron.nextRun(at)!;
      if (next.getTime() - at.getTime() > limitMs) return { from: at, to: next };
      // Every run from `next` up to `at + limit` lies within one limit of the next: skip to the last of them.
      const latestWithinLimit = this.cron.previousRuns(1, new Date(at.getTime() + limitMs))[0]!;
      at = latestWithinLimit > next ? latestWithinLimit : next;
    }
    return null;
  }
}
