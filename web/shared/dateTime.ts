/** Kept out of format.ts, which the first load imports: only order pages show times. */
const when = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short' });

export const dateTime = (iso: string) => when.format(new Date(iso));
