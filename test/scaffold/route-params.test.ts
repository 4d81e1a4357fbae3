import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { modelFromOpenApi } from '../../src/scaffold/from-openapi.js';
import { routablePath, routeOfPath, routeParam, specParam } from '../../src/scaffold/route-params.js';
import { specParams } from '../../templates/common/src/http/route-table.js';

describe('route parameter names', () => {
  it('keeps plain identifiers and aliases the rest with `_` and escapes', () => {
    expect(routeParam('petId')).toBe('petId');
    expect(routeParam('pet_id')).toBe('pet_id');
    expect(routeParam('widget-id')).toBe('_widget_002did');
    expect(routeParam('_id')).toBe('__005fid');
    expect(routeOfPath('/api/peers/{peer-id}/edr/{x}')).toBe('/api/peers/:_peer_002did/edr/:x');
  });

  it('decodes every alias back to the spec name, and distinct names never share an alias', () => {
    const names = [
      'widget-id',
      'widget_id',
      'widget.id',
      '_widget_002did',
      'a$b',
      'ünï-code',
      'x-',
      '-x',
      '__',
    ];
    const aliases = names.map(routeParam);
    expect(new Set(aliases).size).toBe(names.length);
    for (const [i, alias] of aliases.entries()) {
      // Fastify and Express read a parameter name up to the first non-identifier character.
      expect(alias).toMatch(/^[A-Za-z_][A-Za-z0-9_]*$/);
      expect(specParam(alias)).toBe(names[i]);
      // The generated app's decoder (its own copy) agrees.
      expect(specParams({ [alias]: 'v', plain: 'w' })).toEqual({ [names[i]!]: 'v', plain: 'w' });
    }
  });

  it('a path with a character no route can hold is left out and listed; the rest is generated', () => {
    expect(routablePath('/widgets/{widget-id}/@scope/~x')).toBe(true);
    expect(routablePath('/things:count')).toBe(false);
    expect(routablePath('/a/{b}:c')).toBe(false);
    const { model, warnings } = modelFromOpenApi(
      fileURLToPath(new URL('./fixtures/colon-path.yaml', import.meta.url)),
    );
    expect(model.resources.map((r) => r.name)).toEqual(['Thing']);
    expect(model.resources[0]!.operations.list).toBe(true);
    expect(warnings).toContainEqual(
      expect.objectContaining({
        code: 'operation-not-generated',
        at: 'colon-path.yaml#/paths/~1things:count/get',
      }),
    );
  });
});
