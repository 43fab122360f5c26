import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { HttpDefinition } from '../definitions.js';
import { errorReply, runHttp } from '../http/pipeline.js';
import { MAX_BODY_BYTES, type WireResponse } from '../http/types.js';
import { consoleLogger } from './logger.js';
import { matchRoute } from './routes.js';

const ROUTE_PREFIX = '/api/';

/** Reads the body, but stops at `limit` bytes: null then means "too large". */
function readBytes(request: IncomingMessage, limit: number): Promise<Buffer | null> {
  if (Number(request.headers['content-length'] ?? 0) > limit) return Promise.resolve(null);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        request.removeAllListeners('data');
        request.resume();
        resolve(null);
      } else chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function send(response: ServerResponse, reply: WireResponse): void {
  response.writeHead(reply.status, reply.headers);
  response.end(reply.body);
}

async function dispatch(definitions: readonly HttpDefinition[], request: IncomingMessage): Promise<WireResponse> {
  const url = new URL(request.url ?? '/', 'http://localhost');
  if (!url.pathname.startsWith(ROUTE_PREFIX)) return errorReply(404, 'not_found', 'No such API route.');
  const path = url.pathname.slice(ROUTE_PREFIX.length).replace(/\/$/, '');
  const matches = definitions.flatMap((definition) => {
    const params = matchRoute(definition.route, path);
    return params ? [{ definition, params }] : [];
  });
  if (matches.length === 0) return errorReply(404, 'not_found', 'No such API route.');
  const method = request.method ?? 'GET';
  const match = matches.find(({ definition }) => definition.methods.includes(method as never));
  if (!match) {
    const allow = matches.flatMap(({ definition }) => definition.methods).join(', ');
    return errorReply(405, 'method_not_allowed', `Use ${allow} on this route.`, { allow });
  }
  const limit = match.definition.maxBodyBytes ?? MAX_BODY_BYTES;
  const bytes = await readBytes(request, limit);
  const headers = {
    get(name: string): string | null {
      const value = request.headers[name.toLowerCase()];
      if (value === undefined) return null;
      return Array.isArray(value) ? value.join(', ') : value;
    },
  };
  return runHttp(
    match.definition.handler,
    { method, url, params: match.params, headers, body: bytes?.toString('utf8') ?? null, bytes },
    consoleLogger(match.definition.name),
    limit,
  );
}

/** Serves the HTTP functions the way the Functions host does, under /api. */
export function createApiServer(definitions: readonly HttpDefinition[]): Server {
  return createServer((request, response) => {
    dispatch(definitions, request).then(
      (reply) => send(response, reply),
      (error: unknown) => {
        consoleLogger('host').error('request failed', error);
        send(response, errorReply(400, 'bad_request', 'The request could not be read.'));
      },
    );
  });
}
