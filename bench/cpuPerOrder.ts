import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** CPU time a server process spent per order, on its main thread and on all its other threads. */
export interface CpuPerOrder {
  mainMs: number;
  otherThreadsMs: number;
}

/** Linux's clock ticks per second, the unit of /proc's CPU times. */
const TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** CPU ticks (user + system) of each thread of a process, by thread id; null where /proc is missing. */
function threadTicks(pid: number): Map<string, number> | null {
  try {
    const ticks = new Map<string, number>();
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      // The fields after the parenthesised command name: utime and stime are the 12th and 13th.
      const fields = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      ticks.set(tid, Number(fields[11]) + Number(fields[12]));
    }
    return ticks;
  } catch {
    return null;
  }
}

/**
 * Runs `load` and divides the CPU time the process spent meanwhile by the orders it served:
 * the main thread (HTTP, the use case, the commits) apart from the others (the local host's
 * makeline worker, V8's collector). Unlike orders/s it does not hinge on what else the
 * machine's cores are doing. Null on a system without /proc.
 */
export async function cpuPerOrder(pid: number, load: () => Promise<number>): Promise<CpuPerOrder | null> {
  const before = threadTicks(pid);
  const orders = await load();
  const after = threadTicks(pid);
  if (!before || !after || orders === 0) return null;
  let main = 0;
  let others = 0;
  for (const [tid, ticks] of after) {
    const spent = ticks - (before.get(tid) ?? 0);
    if (tid === String(pid)) main += spent;
    else others += spent;
  }
  const msPerOrder = (ticks: number) => (ticks * 1000) / TICKS_PER_SECOND / orders;
  return { mainMs: msPerOrder(main), otherThreadsMs: msPerOrder(others) };
}
