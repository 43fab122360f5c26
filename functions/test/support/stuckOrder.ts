import { join } from 'node:path';
import { SqliteFile } from '../../src/adapters/embedded/database.js';
import { SqliteOrderStore } from '../../src/adapters/embedded/orderStore.js';
import { newId } from '../../src/domain/ids.js';
import { newOrder } from '../../src/domain/pricing.js';

/**
 * Stores a received order for 2 of `productId`, placed `secondsAgo`, in a running host's data
 * folder without queueing it: an order whose send failed. Returns its id.
 */
export async function orderNeverSent(dataDir: string, productId: string, secondsAgo: number): Promise<string> {
  const order = newOrder(newId(), { name: 'Ada' }, [{ productId, name: 'Test Lamp', quantity: 2, unitPriceCents: 1999 }], 'hash', new Date(Date.now() - secondsAgo * 1000));
  const file = new SqliteFile(join(dataDir, 'store.db'));
  try {
    await new SqliteOrderStore(file).insertIfAbsent(order);
  } finally {
    file.close();
  }
  return order.orderId;
}
