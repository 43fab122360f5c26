import type { RouteHandler } from '../http/types.js';

/** What the checkout needs to take a card, from configuration alone. */
export const getPaymentSetup: RouteHandler<'getPaymentSetup'> = async (_request, services) => ({
  status: 200,
  body: services.payments.setup(),
});
