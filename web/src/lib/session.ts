/**
 * Who is signed in, from Static Web Apps' /.auth/me (locally the CLI's login emulator serves it).
 * Loaded after the first page is up (shell.svelte.ts) and by the pages that need it, never with
 * the first load.
 */
import { PROVIDER_NAME } from '$shared/owner';

export interface ClientPrincipal {
  identityProvider: string;
  userId: string;
  userDetails: string;
  userRoles: string[];
}

/** The built-in providers a customer may sign in with, as /.auth/login/<provider> names them. */
export const PROVIDERS = ['github', 'aad'] as const;

let asked: Promise<ClientPrincipal | null> | undefined;

/** The signed-in customer, or null for a guest (or when /.auth/me cannot be reached). Asked once per page load. */
export function signedIn(): Promise<ClientPrincipal | null> {
  asked ??= fetch('/.auth/me').then(
    async (response) => (response.ok ? (((await response.json()) as { clientPrincipal?: ClientPrincipal | null }).clientPrincipal ?? null) : null),
    () => null,
  );
  return asked;
}

export const providerName = (provider: string) => PROVIDER_NAME[provider] ?? provider;

/** Signing in comes back to `then` (a path on this site). */
export const signInHref = (provider: string, then: string) => `/.auth/login/${provider}?post_login_redirect_uri=${encodeURIComponent(then)}`;

export const SIGN_OUT_HREF = '/.auth/logout?post_logout_redirect_uri=/';

/** The header's account link: "Sign in" for a guest, the customer's name once signed in, beside "Sign out". */
export async function showAccount(): Promise<void> {
  const principal = await signedIn();
  if (!principal) return;
  document.getElementById('account-link')!.textContent = principal.userDetails;
  document.getElementById('sign-out')!.hidden = false;
}
