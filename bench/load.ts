import autocannon from 'autocannon';

export interface LoadResult {
  requestsPerSecond: number;
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
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    statusCounts,
    errors: result.errors + result.timeouts,
  };
}
