/**
 * Stops what a start process started once that process has ended, however it ended. Node cannot
 * ask the kernel to signal a child when its parent dies, but the kernel does close a dead
 * process's pipes: the start process writes the process groups to watch, one per line, into this
 * watchdog's stdin, and when that pipe closes (a clean exit, a crash or SIGKILL alike) the
 * watchdog sends each group SIGTERM, SIGKILL to whatever still runs after a grace period, and exits.
 */

/** How long a group gets to shut down cleanly, as the start process itself would give it. */
const GRACE_MS = 5_000;
const POLL_MS = 100;

/** Sends `signal` to every process in `group`; false once the group has no process left. */
function signalGroup(group: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-group, signal);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
}

async function stopGroups(groups: number[]): Promise<void> {
  const running = groups.filter((group) => signalGroup(group, 'SIGTERM'));
  const deadline = Date.now() + GRACE_MS;
  // A group keeps answering while an ended member waits to be reaped, so this waits at most the grace period.
  while (running.some((group) => signalGroup(group, 0)) && Date.now() < deadline) {
    await new Promise((tick) => setTimeout(tick, POLL_MS));
  }
  for (const group of running) signalGroup(group, 'SIGKILL');
}

const groups: number[] = [];
let unread = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk: string) => {
  const lines = (unread + chunk).split('\n');
  unread = lines.pop()!;
  for (const line of lines) if (/^\d+$/.test(line)) groups.push(Number(line));
});
process.stdin.on('close', () => {
  stopGroups(groups).then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(`watchdog: could not stop ${groups.join(', ')}: ${(error as Error).message}`);
      process.exit(1);
    },
  );
});
