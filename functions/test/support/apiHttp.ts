import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

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
  /** A status a "# expect NNN: why" line gives instead of the route's success. */
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
    const expected = lines.map((line) => /^#\s*expect\s+(\d{3})\b/.exec(line)?.[1]).find(Boolean);
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

export interface Answer {
  status: number;
  headers: Headers;
  body: unknown;
}

/** "$.items[0].sequenceNumber" of a JSON value. */
function jsonPath(value: unknown, path: string): unknown {
  const steps = path.replace(/^\$\.?/, '').match(/[^.[\]]+/g) ?? [];
  return steps.reduce<unknown>((at, step) => (at as Record<string, unknown> | undefined)?.[step], value);
}

/** Replaces {{variable}}, {{$guid}} and {{name.response.body.$.path}} as REST Client does; throws on one it cannot resolve. */
export function resolveVariables(text: string, variables: Record<string, string>, answers: ReadonlyMap<string, Answer>): string {
  return text.replace(/\{\{\s*([^}]+?)\s*\}\}/g, (_whole, reference: string) => {
    if (reference === '$guid') return randomUUID();
    const fromReply = /^(\w+)\.response\.body\.(.+)$/.exec(reference);
    const value = fromReply ? jsonPath(answers.get(fromReply[1]!)?.body, fromReply[2]!) : variables[reference];
    if (value === undefined) throw new Error(`api.http: {{${reference}}} cannot be resolved`);
    return fromReply ? String(value) : resolveVariables(String(value), variables, answers);
  });
}
