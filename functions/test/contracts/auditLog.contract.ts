import { describe, expect, it } from 'vitest';
import { newId } from '../../src/domain/ids.js';
import type { AuditEntry, AuditLog } from '../../src/ports.js';

export function auditLogContract(adapter: string, log: () => AuditLog): void {
  describe(`AuditLog contract: ${adapter}`, () => {
    it('keeps every entry as recorded, with its target’s name where it has one, and pages newest first without gaps', async () => {
      const base = Date.parse('2032-01-01T00:00:00Z') + Math.floor(Math.random() * 1e9);
      const entries: AuditEntry[] = [0, 1, 2, 3, 4].map((n) => ({
        id: newId(),
        at: new Date(base + n * 1000).toISOString(),
        actor: { userId: 'u1', userDetails: 'kim@example.com', identityProvider: 'aad' },
        action: 'product.update',
        target: `p${n}`,
        // Kept as given, where given.
        ...(n % 2 ? { targetName: `Lamp ${n}` } : {}),
        before: { priceCents: n },
        after: { priceCents: n + 1 },
      }));
      for (const entry of entries) await log().record(entry);
      const seen: AuditEntry[] = [];
      let cursor: string | undefined;
      do {
        const page = await log().list({ limit: 2, cursor });
        seen.push(...page.items);
        cursor = page.nextCursor ?? undefined;
      } while (cursor && seen.length < 1000);
      const ours = seen.filter((entry) => entries.some((recorded) => recorded.id === entry.id));
      expect(ours).toEqual([...entries].reverse());
    });
  });
}
