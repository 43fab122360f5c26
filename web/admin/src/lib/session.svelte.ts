import { ApiError } from './api';

/** Set when the API says the session ended (401) or the role was taken away (403): App shows why. */
export const session = $state({ signedOut: false, forbidden: false });

/** Words for a failed call; a lost sign-in or role switches the whole page to say so. */
export function explain(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 401) session.signedOut = true;
    if (error.status === 403) session.forbidden = true;
    return error.message;
  }
  return 'Something went wrong in this page. Reload it and try again.';
}
