import type { Order } from '../../functions/src/http/contract/responses';

/** Static Web Apps' built-in providers, by the names its principal uses. */
export const PROVIDER_NAME: Record<string, string> = { github: 'GitHub', aad: 'Microsoft' };

/** Who placed an order, as people read it: "ada (GitHub)", or "Guest". */
export function placedBy(order: Pick<Order, 'owner'>): string {
  if (!order.owner) return 'Guest';
  return `${order.owner.name} (${PROVIDER_NAME[order.owner.identityProvider] ?? order.owner.identityProvider})`;
}
