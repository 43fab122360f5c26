import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A stand-in for the Azure CLI (`az`) for the azd hook tests: a script first on PATH that answers
 * with canned JSON, shaped like the CLI's documented output, and logs every call. An answer is
 * looked up by the command (the words before the first --option); `az rest` by its method and
 * URL path (`rest get /subscriptions/.../config/authsettingsV2`). An array of answers is used in
 * turn, the last one repeating, for a status that changes between calls.
 */
const FAKE_AZ = `import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
const args = process.argv.slice(2);
appendFileSync(process.env.FAKE_AZ_LOG, JSON.stringify(args) + '\\n');
const option = (name) => args[args.indexOf(name) + 1];
const words = args.slice(0, args.findIndex((arg) => arg.startsWith('--'))).join(' ');
const command = words === 'rest' ? 'rest ' + option('--method') + ' ' + option('--url').split('?')[0] : words;
const answers = JSON.parse(readFileSync(process.env.FAKE_AZ_RESPONSES, 'utf8'));
let answer = answers[command];
if (Array.isArray(answer)) {
  const counts = existsSync(process.env.FAKE_AZ_RESPONSES + '.used') ? JSON.parse(readFileSync(process.env.FAKE_AZ_RESPONSES + '.used', 'utf8')) : {};
  const used = counts[command] ?? 0;
  counts[command] = used + 1;
  writeFileSync(process.env.FAKE_AZ_RESPONSES + '.used', JSON.stringify(counts));
  answer = answer[Math.min(used, answer.length - 1)];
}
if (!answer) { console.error('fake az: no answer for ' + command); process.exit(2); }
if (answer.stderr) console.error(answer.stderr);
if (answer.json !== undefined) console.log(JSON.stringify(answer.json));
process.exit(answer.status ?? 0);
`;

export interface FakeAzAnswer {
  json?: unknown;
  stderr?: string;
  status?: number;
}

/** Writes the fake into `dir` (once) and returns `dir`, to put first on PATH. */
export function installFakeAz(dir: string): string {
  if (existsSync(join(dir, 'az'))) return dir;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'fake-az.mjs'), FAKE_AZ);
  writeFileSync(join(dir, 'az'), `#!/bin/sh\nexec '${process.execPath}' '${join(dir, 'fake-az.mjs')}' "$@"\n`);
  chmodSync(join(dir, 'az'), 0o755);
  return dir;
}

/** The environment a hook run needs to use `answers`, logging its calls to `log`. */
export function fakeAzEnv(responses: string, log: string, answers: Record<string, FakeAzAnswer | FakeAzAnswer[]>): Record<string, string> {
  writeFileSync(responses, JSON.stringify(answers));
  return { FAKE_AZ_RESPONSES: responses, FAKE_AZ_LOG: log };
}

/** The argument lists of every call the fake got. */
export function fakeAzCalls(log: string): string[][] {
  return existsSync(log)
    ? readFileSync(log, 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as string[])
    : [];
}
