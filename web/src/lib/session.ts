/**
 * Who is signed in, from Static Web Apps' /.auth/me (locally the CLI's login emulator serves it).
 * Part of the first load (shell.svelte.ts asks once the first page is on its way); the pages
 * that need it share the same answer. What only those pages use is in signIn.ts.
 */
export interface ClientPrincipal {
  identityProvider: string;
  userId: string;
  userDetails: string;
  userRoles: string[];
}

let asked: Promise<ClientPrincipal | null> | undefined;

/** The signed-in customer, or null for a guest (or when /.auth/me cannot be reached). Asked once per page load. */
export function signedIn(): Promise<ClientPrincipal | null> {
  // Anything but /.auth/me's JSON (an error page, no connection) fails to parse: a guest then.
  asked ??= fetch('/.auth/me')
    .then((response) => response.json() as Promise<{ clientPrincipal?: ClientPrincipal | null }>)
    .then((me) => me.clientPrincipal ?? null, () => null);
  return asked;
}

/** The header's account link: "Sign in" for a guest, the customer's name once signed in, beside "Sign out". */
export async function showAccount(): Promise<void> {
  const principal = await signedIn();
  if (!principal) return;
  document.getElementById('account-link')!.textContent = principal.userDetails;
  document.getElementById('sign-out')!.hidden = false;
}
