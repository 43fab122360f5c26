import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/** One request of api.http: what it is named after (a route of the contract), and what it sends. */
export interface Example {
  name: string;
  /** The route it calls: its name up to a "_" ("postOrder_toCancel" is a second postOrder). */
  route: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  /** The JSON or text body, or a file to send as the body ("< ./path"). */
  body?: string;
  bodyFile?: string;
  /** A status a "# @expect NNN: why" line gives instead of the route's success. */
  expect?: number;
}

export interface ApiHttp {
  variables: Record<string, string>;
  examples: Example[];
}

export const API_HTTP = resolve('api.http');

/** Parses the REST Client format as api.http uses it: file variables, "###" blocks, "# @name". */
export function parseApiHttp(text = readFileSync(API_HTTP, 'utf8')): ApiHttp {
  const [preamble = '', ...blocks] = text.split(/^###.*$/m);
  const variables: Record<string, string> = {};
  for (const match of preamble.matchAll(/^@(\w+)\s*=\s*(.*)$/gm)) variables[match[1]!] = match[2]!.trim();
  const examples = blocks.map((block): Example => {
    const lines = block.split('\n');
    const comment = (line: string) => line.startsWith('#') || line.startsWith('//');
    const name = lines.map((line) => /^#\s*@name\s+(\S+)/.exec(line)?.[1]).find(Boolean);
    const expected = lines.map((line) => /^#\s*@expect\s+(\d{3})\b/.exec(line)?.[1]).find(Boolean);
    const start = lines.findIndex((line) => line.trim() !== '' && !comment(line));
    const requestLine = /^(GET|POST|PUT|DELETE)\s+(\S+)$/.exec(lines[start]?.trim() ?? '');
    if (!name || !requestLine) throw new Error(`an api.http block without "# @name" or a request line:\n${block}`);
    const headers: Record<string, string> = {};
    let index = start + 1;
    for (; index < lines.length && lines[index]!.trim() !== ''; index++) {
      const [header, ...value] = lines[index]!.split(':');
      headers[header!.trim().toLowerCase()] = value.join(':').trim();
    }
    const rest = lines.slice(index).filter((line) => !comment(line)).join('\n').trim();
    const file = /^<\s+(\S+)$/.exec(rest)?.[1];
    return {
      name,
      route: name.split('_')[0]!,
      method: requestLine[1]!,
      url: requestLine[2]!,
      headers,
      ...(file ? { bodyFile: file } : rest ? { body: rest } : {}),
      ...(expected ? { expect: Number(expected) } : {}),
    };
  });
  return { variables, examples };
}

/** One request as httpyac sent it (`httpyac send --json`): its name and the reply it got, if it got one. */
export interface SentRequest {
  name: string;
  response?: { statusCode: number; headers: Record<string, string>; body?: string };
  summary: { failedTests: number; erroredTests: number };
}

/**
 * Runs every request of api.http in order with httpyac's command line, against `base`
 * (http://host:port/api), as a person would: `npx httpyac send api.http --all`.
 */
export async function sendApiHttp(base: string): Promise<{ exitCode: number | null; requests: SentRequest[]; log: string }> {
  // Its report goes to a file: httpyac exits as soon as it has written it, and a pipe would lose
  // whatever of a report past about 200 kB was still being written.
  const dir = mkdtempSync(join(tmpdir(), 'bestbuy-httpyac-'));
  const reportFile = join(dir, 'report.json');
  const fd = openSync(reportFile, 'w');
  const child = spawn(resolve('node_modules/.bin/httpyac'), ['send', API_HTTP, '--all', '--json', '--var', `base=${base}`], {
    cwd: dirname(API_HTTP),
    stdio: ['ignore', fd, 'pipe'],
  });
  let log = '';
  child.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const exitCode = await new Promise<number | null>((done) => child.once('close', done));
  closeSync(fd);
  const stdout = readFileSync(reportFile, 'utf8');
  rmSync(dir, { recursive: true, force: true });
  // The JSON report comes last, after anything httpyac logged on the way.
  const report = stdout.indexOf('{');
  return { exitCode, requests: (JSON.parse(stdout.slice(report)) as { requests: SentRequest[] }).requests, log: log + stdout.slice(0, report) };
}
