import type { RouteHandler } from '../http/types.js';
import type { DeadLetter } from '../ports.js';

/** What one letter shows of its body: enough to tell what it was, however large the message. */
export const DEAD_LETTER_BODY_CHARS = 4096;

const preview = (letter: DeadLetter) => ({ ...letter, body: letter.body.slice(0, DEAD_LETTER_BODY_CHARS), bodyLength: letter.body.length });

export const manageListDeadLetters: RouteHandler<'manageListDeadLetters'> = async (request, { queue }) => {
  const { items, nextCursor } = await queue.deadLetters(request.query);
  return { status: 200, body: { items: items.map(preview), nextCursor } };
};
