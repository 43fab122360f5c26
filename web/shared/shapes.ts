/**
 * The API's shapes that both apps read. They are declared in the storefront's api.ts until they are
 * generated from the API's contract; a type-only re-export, erased by the build, so no storefront
 * code reaches the admin page through it.
 */
export type { Order, OrderStatus, Product } from '../src/lib/api';
