import { aiDescriptionBody } from '../domain/schemas.js';
import { parseBody } from '../http/parse.js';
import type { HttpHandler } from '../http/types.js';

/** A description draft for the admin page to show; nothing is stored. */
export const manageAiDescription: HttpHandler = async (request, { content }) => {
  const input = parseBody(request, aiDescriptionBody);
  const description = await content.describe(input);
  return { status: 200, body: { description } };
};
