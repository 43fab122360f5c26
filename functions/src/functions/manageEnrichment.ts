import { MAX_ENRICHMENT_PRODUCTS } from '../app/enrichment.js';
import { StoreError } from '../domain/errors.js';
import { PLACEHOLDER_IMAGE_URL, type DraftField, type Product } from '../domain/product.js';
import { enrichmentParams, enrichmentStartBody } from '../domain/schemas.js';
import { parseBody, parseParams } from '../http/parse.js';
import type { EmployeeHandler, HttpHandler, HttpRuntime } from '../http/types.js';
import type { ProductStore } from '../ports.js';

export const ENRICHMENT_UNAVAILABLE =
  'Bulk enrichment runs on the local host (npm start) or under the Azure Functions host with the Durable Task extension and ENRICHMENT_ENABLED=true; it is not available here.';

function enrichmentClient(runtime: HttpRuntime | undefined) {
  if (!runtime?.enrichment) throw new StoreError('unavailable', 'enrichment_unavailable', ENRICHMENT_UNAVAILABLE);
  return runtime.enrichment;
}

const lacks: Record<DraftField, (product: Product) => boolean> = {
  description: (product) => product.description.trim() === '',
  image: (product) => product.imageUrl === PLACEHOLDER_IMAGE_URL,
};

/** Every product missing that field, in catalog order, up to one job's worth. */
async function productsWithout(products: ProductStore, field: DraftField): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await products.list({ limit: 100, cursor });
    ids.push(...page.items.filter(lacks[field]).map((product) => product.id));
    cursor = page.nextCursor ?? undefined;
  } while (cursor && ids.length < MAX_ENRICHMENT_PRODUCTS);
  return ids.slice(0, MAX_ENRICHMENT_PRODUCTS);
}

/** Starts one enrichment job: 202 with its id and where to follow it. */
export const manageStartEnrichment: EmployeeHandler = async (request, { products }, log, runtime) => {
  const { principal } = request;
  const body = parseBody(request, enrichmentStartBody);
  const client = enrichmentClient(runtime);
  const productIds = body.productIds ? [...new Set(body.productIds)] : await productsWithout(products, body.without!);
  if (productIds.length === 0) {
    throw new StoreError('unprocessable', 'nothing_to_enrich', `No product is without ${body.without === 'image' ? 'an image' : 'a description'}.`);
  }
  const actor = { userId: principal.userId, userDetails: principal.userDetails, identityProvider: principal.identityProvider };
  const id = await client.start({ productIds, want: body.want, actor });
  log.info(`enrichment ${id} started for ${productIds.length} products`);
  const location = `/api/manage/enrichment/${id}`;
  return { status: 202, headers: { location }, body: { id, total: productIds.length, location } };
};

/** Where a job is: status, n of m, and each product's state. */
export const manageEnrichmentStatus: HttpHandler = async (request, _services, _log, runtime) => {
  const { id } = parseParams(request, enrichmentParams);
  const status = await enrichmentClient(runtime).status(id);
  if (!status) throw new StoreError('not_found', 'enrichment_not_found', `No enrichment job ${id}.`);
  return { status: 200, body: status };
};
