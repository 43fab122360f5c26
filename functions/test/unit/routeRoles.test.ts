import { describe, expect, it } from 'vitest';
import { definitions, type HttpDefinition } from '../../src/definitions.js';

/**
 * The admin role is declared on the route in the function table, and the pipeline enforces it
 * (manageAuth.test.ts calls every route). A row that forgets it would open an employee route to
 * anyone who gets past Static Web Apps; a role on a storefront route would lock shoppers out.
 */

const httpDefinitions = definitions.filter((definition): definition is HttpDefinition => definition.kind === 'http');
const label = ({ name, methods, route }: HttpDefinition) => `${methods.join(',')} ${route} (${name})`;
const isEmployeeRoute = (definition: HttpDefinition) => definition.route.startsWith('manage/');

describe('the roles in the function table', () => {
  it('has employee routes and storefront routes to check', () => {
    expect(httpDefinitions.filter(isEmployeeRoute).length).toBeGreaterThanOrEqual(6);
    expect(httpDefinitions.filter((definition) => !isEmployeeRoute(definition)).length).toBeGreaterThanOrEqual(3);
  });

  it('declares the admin role on every manage/ route', () => {
    const unguarded = httpDefinitions.filter((definition) => isEmployeeRoute(definition) && definition.role !== 'admin').map(label);
    expect(unguarded, 'manage/ routes without the admin role').toEqual([]);
  });

  it('declares no role on a route outside manage/, where Static Web Apps lets everyone through', () => {
    const guarded = httpDefinitions.filter((definition) => !isEmployeeRoute(definition) && definition.role !== undefined).map(label);
    expect(guarded, 'routes outside manage/ that require a role').toEqual([]);
  });
});
