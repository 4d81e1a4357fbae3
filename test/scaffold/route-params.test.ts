import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { modelFromOpenApi } from '../../src/scaffold/from-openapi.js';
import {
  registeredRoute,
  routablePath,
  routeOfPath,
  routeParam,
  specParam,
} from '../../src/scaffold/route-params.js';
import {
  expressPath,
  fastifyPath,
  RouteTable,
  specParams,
  writtenPath,
} from '../../templates/common/src/http/route-table.js';

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
    expect(routablePath('/things(1)')).toBe(false);
    expect(routablePath('/things/*')).toBe(false);
  });

  it('custom methods (`/things:count`, `/things/{name}:undelete`) are served, the colon escaped for the routers', () => {
    expect(routablePath('/things:count')).toBe(true);
    expect(routablePath('/a/{b}:c')).toBe(true);
    expect(registeredRoute('/things:count')).toBe('/things::count');
    expect(registeredRoute('/v1/{name}:undelete')).toBe('/v1/:name::undelete');
    expect(registeredRoute('/v1/{widget-id}:undelete')).toBe('/v1/:_widget_002did::undelete');
    expect(registeredRoute('/v1/{name}')).toBeUndefined();
    // Fastify reads a parameter's name on through `::`: it gets the pattern of one segment.
    expect(fastifyPath('/v1/:name::undelete')).toBe('/v1/:name([^:]+)::undelete');
    expect(fastifyPath('/things::count')).toBe('/things::count');
    expect(expressPath('/v1/:name::undelete')).toBe('/v1/:name\\:undelete');
    expect(writtenPath(expressPath('/v1/:name::undelete'))).toBe('/v1/:name::undelete');
    const table = new RouteTable();
    table.add('POST', fastifyPath('/v1/:name::undelete'));
    table.add('GET', '/things::count');
    expect(table.allowed('/v1/abc:undelete')).toEqual(['POST']);
    expect(table.allowed('/v1/abc')).toBeUndefined();
    expect(table.allowed('/things:count')).toEqual(['GET', 'HEAD']);
    expect(table.allowed('/thingsXcount')).toBeUndefined();
    const { model, warnings } = modelFromOpenApi(
      fileURLToPath(new URL('./fixtures/colon-path.yaml', import.meta.url)),
    );
    expect(model.operations.map((o) => [o.operationId, o.route, o.url])).toEqual([
      ['countThings', '/things:count', '/things::count'],
      ['undeleteThing', '/things/:name:undelete', '/things/:name::undelete'],
    ]);
    expect(warnings.filter((w) => w.code === 'operation-not-generated')).toEqual([]);
  });
});
