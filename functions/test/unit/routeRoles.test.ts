import { describe, expect, it } from 'vitest';
import { definitions, type HttpDefinition } from '../../src/definitions.js';

/**
 * The admin role is declared on the route in the function table, and the pipeline enforces it
 * (manageAuth.test.ts calls every route). A row that forgets it would open an employee route to
 * anyone who gets past Static Web Apps; a role on a storefront route would lock shoppers out.
 * A signed-in customer's own routes (me/) declare the authenticated role the same way.
 */

const httpDefinitions = definitions.filter((definition): definition is HttpDefinition => definition.kind === 'http');
const label = ({ name, contract }: HttpDefinition) => `${contract.method} ${contract.route} (${name})`;
const isEmployeeRoute = (definition: HttpDefinition) => definition.contract.route.startsWith('manage/');
const isCustomerRoute = (definition: HttpDefinition) => definition.contract.route.startsWith('me/');
const isOpenRoute = (definition: HttpDefinition) => !isEmployeeRoute(definition) && !isCustomerRoute(definition);

describe('the roles in the function table', () => {
  it('has employee routes and storefront routes to check', () => {
    expect(httpDefinitions.filter(isEmployeeRoute).length).toBeGreaterThanOrEqual(6);
    expect(httpDefinitions.filter(isCustomerRoute).length).toBeGreaterThanOrEqual(2);
    expect(httpDefinitions.filter(isOpenRoute).length).toBeGreaterThanOrEqual(3);
  });

  it('declares the admin role on every manage/ route', () => {
    const unguarded = httpDefinitions.filter((definition) => isEmployeeRoute(definition) && definition.contract.role !== 'admin').map(label);
    expect(unguarded, 'manage/ routes without the admin role').toEqual([]);
  });

  it('declares the authenticated role on every me/ route', () => {
    const unguarded = httpDefinitions.filter((definition) => isCustomerRoute(definition) && definition.contract.role !== 'authenticated').map(label);
    expect(unguarded, 'me/ routes without the authenticated role').toEqual([]);
  });

  it('declares no role on a route outside manage/ and me/, where Static Web Apps lets everyone through', () => {
    const guarded = httpDefinitions.filter((definition) => isOpenRoute(definition) && definition.contract.role !== undefined).map(label);
    expect(guarded, 'routes outside manage/ and me/ that require a role').toEqual([]);
  });
});
