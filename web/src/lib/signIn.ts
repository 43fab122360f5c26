/** Signing in and out: what the account and orders pages offer, kept out of the first load (session.ts is in it). */
import { PROVIDER_NAME } from '$shared/owner';

/** The built-in providers a customer may sign in with, as /.auth/login/<provider> names them. */
export const PROVIDERS = ['github', 'aad'] as const;

export const providerName = (provider: string) => PROVIDER_NAME[provider] ?? provider;

/** Signing in comes back to `then` (a path on this site). */
export const signInHref = (provider: string, then: string) => `/.auth/login/${provider}?post_login_redirect_uri=${encodeURIComponent(then)}`;

export const SIGN_OUT_HREF = '/.auth/logout?post_logout_redirect_uri=/';
