import { pathToRegexp } from 'path-to-regexp';
import { describe, expect, it } from 'vitest';
// The generated projects' own route helpers (a template file that imports nothing).
import { expressPath, RouteTable, writtenPath } from '../../templates/common/src/http/route-table.js';

describe('route paths of generated projects', () => {
  it("escapes what Express 5's path-to-regexp reserves in a spec's fixed segments, and only that", () => {
    const spec = '/rest/Train+Travel+API/1.0.0/bookings/:bookingId';
    expect(() => pathToRegexp(spec)).toThrow(/Unexpected \+/);
    const path = expressPath(spec);
    expect(path).toBe('/rest/Train\\+Travel\\+API/1.0.0/bookings/:bookingId');
    const { regexp, keys } = pathToRegexp(path);
    expect(regexp.exec('/rest/Train+Travel+API/1.0.0/bookings/42')?.[1]).toBe('42');
    expect(keys.map((k) => k.name)).toEqual(['bookingId']);
    expect(expressPath('/a/(b)/[c]/{d}/e?/f!/g*')).toBe('/a/\\(b\\)/\\[c\\]/\\{d\\}/e\\?/f\\!/g\\*');
    expect(expressPath('/pets/:petId')).toBe('/pets/:petId');
    expect(writtenPath(path)).toBe(spec);
  });

  it('knows the methods of a path with reserved characters (405 answers)', () => {
    const table = new RouteTable();
    table.add('get', writtenPath(expressPath('/rest/Train+Travel+API/trips')));
    expect(table.allowed('/rest/Train+Travel+API/trips')).toEqual(['GET', 'HEAD']);
    expect(table.allowed('/rest/TrainTravelAPI/trips')).toBeUndefined();
  });
});
