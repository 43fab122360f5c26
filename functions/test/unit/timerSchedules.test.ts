import { describe, expect, it } from 'vitest';
import { readConfig } from '../../src/config.js';
import { definitions } from '../../src/definitions.js';
import { actionsThisTick } from '../../src/domain/pacing.js';
import { TimerSchedule } from '../../src/domain/schedule.js';

const DAY_MS = 24 * 3600 * 1000;
const at = (iso: string) => new Date(iso);

/** An evenly spread stand-in for Math.random, so averages come out close without luck. */
function evenlySpread(): () => number {
  let value = 0;
  return () => (value = (value + 0.618_033_988_75) % 1);
}

/** What an actor would do over a day of runs on `expression`, each run starting `lateMs` after its time. */
function actionsOverADay(expression: string, perHour: number, lateMs = 0): number {
  const schedule = TimerSchedule.parse(expression);
  const random = evenlySpread();
  return schedule
    .occurrencesBetween(at('2026-03-02T00:00:00Z'), at('2026-03-03T00:00:00Z'))
    .reduce((total, run) => total + actionsThisTick(perHour, schedule.secondsSincePreviousOccurrence(new Date(run.getTime() + lateMs)), random), 0);
}

describe('a timer run catches up the interval since its previous occurrence', () => {
  it('stands for the whole interval of its schedule, even when it starts late', () => {
    const everyHalfHour = TimerSchedule.parse('0 */30 * * * *');
    expect(everyHalfHour.secondsSincePreviousOccurrence(at('2026-03-02T10:30:00Z'))).toBe(1800);
    expect(everyHalfHour.secondsSincePreviousOccurrence(at('2026-03-02T10:30:07.250Z'))).toBe(1800);
    expect(TimerSchedule.parse('*/10 * * * * *').secondsSincePreviousOccurrence(at('2026-03-02T10:30:10.400Z'))).toBe(10);
    // Uneven: at :00 and :10 past each hour; the :10 run stands for 10 minutes, the :00 run for 50.
    const uneven = TimerSchedule.parse('0 0,10 * * * *');
    expect(uneven.secondsSincePreviousOccurrence(at('2026-03-02T10:10:00Z'))).toBe(600);
    expect(uneven.secondsSincePreviousOccurrence(at('2026-03-02T11:00:01Z'))).toBe(3000);
  });

  it.each([
    ['every 10 s', '*/10 * * * * *'],
    ['every minute', '0 * * * * *'],
    ['every 30 minutes', '0 */30 * * * *'],
    ['unevenly, at :00 and :10', '0 0,10 * * * *'],
  ])('keeps the hourly rate on average when it runs %s', (_, expression) => {
    for (const perHour of [12, 120, 7]) {
      const wanted = perHour * 24;
      expect(Math.abs(actionsOverADay(expression, perHour) - wanted), `${perHour}/h`).toBeLessThanOrEqual(1);
      expect(Math.abs(actionsOverADay(expression, perHour, 3000) - wanted), `${perHour}/h, 3 s late`).toBeLessThanOrEqual(1);
    }
  });
});

describe('the default timer schedules', () => {
  it('run the timers at most 50,000 times in a 31-day month, so an idle store stays cheap', () => {
    const { schedules } = readConfig({});
    const from = at('2026-12-01T00:00:00Z');
    const to = new Date(from.getTime() + 31 * DAY_MS);
    const perTimer = Object.fromEntries(
      definitions.flatMap((definition) =>
        definition.kind === 'timer' ? [[definition.name, schedules[definition.scheduleSetting].occurrencesBetween(from, to).length]] : [],
      ),
    );
    // The README's cost table shows this arithmetic: 31 × 1,440 + 2 × 31 × 48.
    expect(perTimer).toEqual({ outboxSweeper: 44_640, virtualCustomer: 1_488, virtualWorker: 1_488 });
    const total = Object.values(perTimer).reduce((sum, runs) => sum + runs, 0);
    expect(total).toBeLessThanOrEqual(50_000);
  });

  it('sweep the outbox often enough that a lost send is re-sent within about a minute and a half', () => {
    const { schedules, outbox } = readConfig({});
    // Orders placed at every second of an hour: how long until the first sweep that finds each old enough.
    const waits = Array.from({ length: 3600 }, (_, second) => {
      const placed = new Date(at('2026-12-01T10:00:00.500Z').getTime() + second * 1000);
      const eligible = new Date(placed.getTime() + outbox.resendAfterMs);
      const [sweep] = schedules.OUTBOX_SWEEP_SCHEDULE.occurrencesBetween(eligible, new Date(eligible.getTime() + 600_000));
      return (sweep!.getTime() - placed.getTime()) / 1000;
    });
    expect(Math.max(...waits)).toBeLessThanOrEqual(90);
  });
});

describe('timer schedules as the Functions host reads them', () => {
  it('count the occurrences in a span, its first moment included and its last excluded', () => {
    const everyMinute = TimerSchedule.parse('0 * * * * *');
    expect(everyMinute.occurrencesBetween(at('2026-03-02T10:00:00Z'), at('2026-03-02T11:00:00Z'))).toHaveLength(60);
    expect(TimerSchedule.parse('0 0 9-17 * * MON-FRI').occurrencesBetween(at('2026-03-02T00:00:00Z'), at('2026-03-09T00:00:00Z'))).toHaveLength(45);
  });

  it('find the first pause longer than a limit, and none when there is none', () => {
    const businessHours = TimerSchedule.parse('0 * 9-17 * * *');
    expect(businessHours.firstGapLongerThan(300, at('2026-03-02T09:00:00Z'), at('2026-03-04T00:00:00Z'))).toEqual({
      from: at('2026-03-02T17:59:00Z'),
      to: at('2026-03-03T09:00:00Z'),
    });
    expect(TimerSchedule.parse('*/10 * * * * *').firstGapLongerThan(10, at('2026-03-02T00:00:00Z'), at('2026-03-09T00:00:00Z'))).toBeNull();
    expect(TimerSchedule.parse('*/10 * * * * *').firstGapLongerThan(9, at('2026-03-02T00:00:00Z'), at('2026-03-03T00:00:00Z'))).not.toBeNull();
  });

  it.each([
    ['five fields', '0 */5 * * *', /six fields.*has 5/],
    ['seven fields', '0 0 */5 * * * 2027', /six fields.*has 7/],
    ["croner's last-day L", '0 0 12 L * *', /"L" is not an NCRONTAB field/],
    ["croner's nth weekday #", '0 0 12 * * 1#2', /"1#2" is not an NCRONTAB field/],
    ['a second out of range', '61 * * * * *', /not a valid NCRONTAB schedule: .*second/i],
    ['a date that never comes', '0 0 0 31 2 *', /never runs/],
  ])('refuse %s', (_, expression, problem) => {
    expect(() => TimerSchedule.parse(expression)).toThrow(problem);
  });
});

describe('a schedule croner refuses', () => {
  it("says what is wrong in the store's words, not croner's", () => {
    expect(() => TimerSchedule.parse('0 0 25 * * *')).toThrow(/^"0 0 25 \* \* \*" is not a valid NCRONTAB schedule: (?!CronPattern)/);
  });
});
