import { execFileSync } from 'node:child_process';

interface ProcessRow {
  pid: number;
  ppid: number;
  pgid: number;
  /** `Z` for a zombie: ended, only waiting for its parent to collect it. */
  state: string;
  command: string;
}

function processTable(): ProcessRow[] {
  return execFileSync('ps', ['-A', '-o', 'pid=,ppid=,pgid=,stat=,args='], { encoding: 'utf8' })
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(\S+)\s*(.*)$/.exec(line))
    .filter((fields) => fields !== null)
    .map(([, pid, ppid, pgid, state, command]) => ({ pid: Number(pid), ppid: Number(ppid), pgid: Number(pgid), state: state!, command: command! }));
}

/** What `root` started, and what those started in turn, running now: pids with their process groups and command lines. */
export function descendantsOf(root: number): { pid: number; pgid: number; command: string }[] {
  const table = processTable();
  const found: ProcessRow[] = [];
  const parents = new Set([root]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const row of table) {
      if (parents.has(row.ppid) && !parents.has(row.pid)) {
        parents.add(row.pid);
        found.push(row);
        grew = true;
      }
    }
  }
  return found.map(({ pid, pgid, command }) => ({ pid, pgid, command }));
}

/**
 * Which of `processes` still run, and any other running process in a group one of them led
 * (zombies do not count: they have ended).
 */
export function survivors(processes: { pid: number; pgid: number }[]): number[] {
  const pids = new Set(processes.map(({ pid }) => pid));
  const groups = new Set(processes.filter(({ pid, pgid }) => pid === pgid).map(({ pgid }) => pgid));
  return processTable()
    .filter((row) => !row.state.startsWith('Z') && (pids.has(row.pid) || groups.has(row.pgid)))
    .map(({ pid }) => pid);
}

/** Cleanup after a test, whatever it left: SIGKILL by pid, never by name. */
export function killSurvivors(processes: { pid: number; pgid: number }[]): void {
  for (const pid of survivors(processes)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // ended meanwhile
    }
  }
}
