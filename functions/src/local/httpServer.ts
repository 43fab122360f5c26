import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { HttpDefinition } from '../definitions.js';
import { errorResponse, runHttp } from '../http/pipeline.js';
import { MAX_BODY_BYTES, ROUTE_PREFIX, type HttpRuntime, type WireResponse } from '../http/types.js';
import type { Services } from '../ports.js';
import { consoleLogger } from './logger.js';
import { matchRoute } from './routes.js';

/** How long the local host waits for slow clients, and how many it serves at once. */
export interface ServerLimits {
  /** A whole request, body included, must arrive within this (its headers within HEADERS_TIMEOUT_MS too). */
  requestTimeoutMs: number;
  /** Connections past this are closed at once, so idle or slow ones cannot pile up without bound. */
  maxConnections: number;
  /** Connections one remote address may hold at once: past it that address's new ones are closed, and others still get in. */
  maxConnectionsPerSource: number;
}

/** Browsers send a request's headers in one go: longer means a client holding a connection open on purpose. */
const HEADERS_TIMEOUT_MS = 10_000;
/** How often Node looks for requests past their timeout; the default 30 s would let one outlive it by that much. */
const TIMEOUT_CHECK_INTERVAL_MS = 1_000;

/**
 * Reads the body, keeping at most `limit` bytes: null then means "too large". The rest is still
 * read (and dropped) before the answer, as a proxy in front (the Static Web Apps CLI) turns a
 * connection closed under an unsent body into an empty 200 instead of passing on the 413; the
 * request timeout bounds how long that can take.
 */
function readBytes(request: IncomingMessage, limit: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = Number(request.headers['content-length'] ?? 0) > limit;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      tooLarge ||= size > limit;
      if (!tooLarge) chunks.push(chunk);
    });
    request.on('end', () => resolve(tooLarge ? null : Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function send(response: ServerResponse, reply: WireResponse): void {
  response.writeHead(reply.status, reply.headers);
  const { body } = reply;
  if (body === undefined || typeof body === 'string' || body instanceof Uint8Array) return void response.end(body);
  // A stream: each chunk as it comes, waiting while the client reads slowly. A failure halfway
  // destroys the connection, so the client sees a cut transfer, never a short file that looks whole.
  pipeline(Readable.from(body), response).catch((error: unknown) => consoleLogger('host').error('streamed reply failed', error));
}

/** Routes by their number of path segments: a request is matched only against templates that could fit. */
type RouteTable = ReadonlyMap<number, readonly HttpDefinition[]>;

function routeTable(definitions: readonly HttpDefinition[]): RouteTable {
  const table = new Map<number, HttpDefinition[]>();
  for (const definition of definitions) {
    const segments = definition.contract.route.split('/').length;
    table.set(segments, [...(table.get(segments) ?? []), definition]);
  }
  return table;
}

async function dispatch(routes: RouteTable, request: IncomingMessage, services: Services, runtime: HttpRuntime): Promise<WireResponse> {
  const target = request.url ?? '/';
  const url = new URL(target, 'http://localhost');
  // The URL parser resolves "..", "." and "\" that a proxy's route rules saw as written.
  if (target.split('?')[0] !== url.pathname) return errorResponse(404, 'not_found', 'No such API route.');
  if (!url.pathname.startsWith(ROUTE_PREFIX)) return errorResponse(404, 'not_found', 'No such API route.');
  const path = url.pathname.slice(ROUTE_PREFIX.length).replace(/\/$/, '');
  const matches = (routes.get(path.split('/').length) ?? []).flatMap((definition) => {
    const params = matchRoute(definition.contract.route, path);
    return params ? [{ definition, params }] : [];
  });
  if (matches.length === 0) return errorResponse(404, 'not_found', 'No such API route.');
  const method = request.method ?? 'GET';
  const match = matches.find(({ definition }) => definition.contract.method === method);
  if (!match) {
    const allow = matches.map(({ definition }) => definition.contract.method).join(', ');
    return errorResponse(405, 'method_not_allowed', `Use ${allow} on this route.`, { allow });
  }
  const bytes = await readBytes(request, match.definition.contract.maxBodyBytes ?? MAX_BODY_BYTES);
  const headers = {
    // Every copy of a repeated header, joined as the Functions host passes them: Node keeps only the first Content-Type.
    get: (name: string): string | null => request.headersDistinct[name.toLowerCase()]?.join(', ') ?? null,
  };
  return runHttp(
    match.definition,
    { method, url, params: match.params, headers, body: bytes?.toString('utf8') ?? null, bytes, remoteAddress: request.socket.remoteAddress },
    async () => services,
    consoleLogger(match.definition.name),
    runtime,
  );
}

/** Serves the HTTP functions the way the Functions host does, under /api; `runtime` is what the host offers besides the services. */
export function createApiServer(definitions: readonly HttpDefinition[], limits: ServerLimits, services: Services, runtime: HttpRuntime = {}): Server {
  const routes = routeTable(definitions);
  const server = createServer(
    {
      requestTimeout: limits.requestTimeoutMs,
      headersTimeout: Math.min(HEADERS_TIMEOUT_MS, limits.requestTimeoutMs),
      connectionsCheckingInterval: TIMEOUT_CHECK_INTERVAL_MS,
    },
    (request, response) => {
      dispatch(routes, request, services, runtime).then(
        (reply) => send(response, reply),
        (error: unknown) => {
          consoleLogger('host').error('request failed', error);
          send(response, errorResponse(400, 'bad_request', 'The request could not be read.'));
        },
      );
    },
  );
  server.maxConnections = limits.maxConnections;
  capConnectionsPerSource(server, limits.maxConnectionsPerSource);
  return server;
}

/**
 * Closes a new connection at once when its address already holds `cap`: one client opening
 * sockets until the global maxConnections is reached would otherwise lock every other one out.
 */
function capConnectionsPerSource(server: Server, cap: number): void {
  const open = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    const source = socket.remoteAddress ?? 'unknown';
    const count = open.get(source) ?? 0;
    if (count >= cap) {
      socket.destroy();
      return;
    }
    open.set(source, count + 1);
    socket.once('close', () => {
      const left = (open.get(source) ?? 1) - 1;
      if (left === 0) open.delete(source);
      else open.set(source, left);
    });
  });
}
