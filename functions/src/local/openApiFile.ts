import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { openApiDocument } from '../http/contract/openapi.js';

/**
 * The reviewed copy of the OpenAPI document: a change to the contract shows up in its diff, and
 * openApi.test.ts fails until `npm run openapi` (this file, run) has rewritten it.
 */
export const OPENAPI_FILE = resolve('docs/openapi.json'); // npm scripts and tests run at the repository root

export const openApiText = () => `${JSON.stringify(openApiDocument(), null, 2)}\n`;

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  writeFileSync(OPENAPI_FILE, openApiText());
  console.log(`wrote ${OPENAPI_FILE}`);
}
