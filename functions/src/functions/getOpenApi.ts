import { openApiDocument } from '../http/contract/openapi.js';
import type { RouteHandler } from '../http/types.js';

/** The API's contract as OpenAPI 3.1, for anyone: generated from the schemas the API validates with. */
export const getOpenApi: RouteHandler<'getOpenApi'> = async () => ({ status: 200, body: openApiDocument() });
