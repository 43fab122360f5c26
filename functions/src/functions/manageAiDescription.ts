import type { RouteHandler } from '../http/types.js';

/** A description draft for the admin page to show; nothing is stored. */
export const manageAiDescription: RouteHandler<'manageAiDescription'> = async (request, { content }) => ({
  status: 200,
  body: { description: await content.describe(request.body) },
});
