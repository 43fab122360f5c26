import { z } from 'zod';
import { missingRole, notSignedIn, unreadablePrincipal } from '../domain/errors.js';
import type { Principal } from '../ports.js';

/** Static Web Apps passes the signed-in user as base64 JSON in this header. */
export const PRINCIPAL_HEADER = 'x-ms-client-principal';

const principalSchema: z.ZodType<Principal> = z.object({
  identityProvider: z.string().max(100).optional(),
  userId: z.string().max(200).optional(),
  userDetails: z.string().max(500).optional(),
  userRoles: z.array(z.string().max(100)).max(100),
});

/**
 * The roles a route can require (HttpEndpoint.role): Static Web Apps gives every signed-in user
 * `authenticated`, and `admin` to the employees it was assigned to.
 */
export type Role = 'admin' | 'authenticated';

/** The signed-in user from the value of PRINCIPAL_HEADER; null when there is none. */
export function readPrincipal(header: string | null): Principal | null {
  if (!header) return null;
  try {
    const decoded: unknown = JSON.parse(Buffer.from(header, 'base64').toString('utf8'));
    const parsed = principalSchema.safeParse(decoded);
    if (parsed.success) return parsed.data;
  } catch {
    // fall through to the same answer as a missing principal
  }
  throw unreadablePrincipal();
}

/** The API checks the role itself, whatever staticwebapp.config.json already did. */
export function requireRole(header: string | null, role: Role): Principal {
  const principal = readPrincipal(header);
  if (!principal) throw notSignedIn(role);
  if (!principal.userRoles.includes(role)) throw missingRole(role);
  return principal;
}
