import { checkHealth } from '../app/health.js';
import type { HttpHandler } from '../http/types.js';

export const health: HttpHandler = async (_request, services) => {
  const { healthy, status, checks } = await checkHealth(services);
  return { status: healthy ? 200 : 503, headers: { 'cache-control': 'no-store' }, body: { status, checks } };
};
