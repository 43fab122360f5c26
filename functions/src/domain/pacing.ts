/**
 * How many actions a timer run should take to reach `perHour` on average, catching up the
 * `tickSeconds` since the schedule's previous run. The fractional part becomes a chance, so low
 * rates on frequent ticks still happen at the right average pace.
 */
export function actionsThisTick(perHour: number, tickSeconds: number, random: () => number = Math.random): number {
  const expected = (perHour * tickSeconds) / 3600;
  const whole = Math.floor(expected);
  return whole + (random() < expected - whole ? 1 : 0);
}
