import autocannon from 'autocannon';

export interface LoadResult {
  requestsPerSecond: number;
  /** Responses received in all. */
  requests: number;
  p50Ms: number;
  p99Ms: number;
  statusCounts: Record<string, number>;
  errors: number;
}

export interface LoadOptions {
  url: string;
  method?: 'GET' | 'POST';
  body?: string;
  headers?: Record<string, string>;
  connections: number;
  seconds: number;
  /** Offered load: at most this many requests a second over all connections; as fast as answered without it. */
  ratePerSecond?: number;
  /** Sees every response body, e.g. to collect the ids of accepted orders. */
  onResponse?: (status: number, body: string) => void;
}

/** Runs autocannon against one URL and keeps the figures the table needs. */
export async function load(options: LoadOptions): Promise<LoadResult> {
  const statusCounts: Record<string, number> = {};
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.seconds,
    ...(options.ratePerSecond && { overallRate: options.ratePerSecond }),
    requests: [
      {
        method: options.method ?? 'GET',
        body: options.body,
        headers: options.headers,
        onResponse: (status: number, body: string) => {
          statusCounts[status] = (statusCounts[status] ?? 0) + 1;
          options.onResponse?.(status, body);
        },
      },
    ],
  });
  return {
    requestsPerSecond: result.requests.average,
    requests: result.requests.total,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    statusCounts,
    errors: result.errors + result.timeouts,
  };
}
