import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadSpec } from '../../scripts/conformance/spec-reader.js';
import { xmlBody } from '../../scripts/conformance/xml-body.js';

const fixture = fileURLToPath(new URL('../scaffold/fixtures/xml-allof.yaml', import.meta.url));

/**
 * Scalar galaxy's `User` is an `allOf` whose first part names the element (`xml: { name: user }`):
 * the oracle wrote `<User>` (the component's name) and read no property's `xml` object, so its XML
 * bodies were not the ones the spec describes.
 */
describe('the oracle writes an XML body of an allOf schema by the xml objects of its parts', () => {
  it('names the root by a part, and writes attributes, names and wrapped arrays a part declares', () => {
    const spec = loadSpec(fixture);
    const schema = spec.operations[0]!.requestBody!.content['application/xml'].schema;
    const value = { id: 1, name: 'Marc', tags: ['a', 'b'], email: 'marc@scalar.com', password: 'pw' };
    expect(xmlBody(value, schema, spec)).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><user id="1"><name>Marc</name><tags><tag>a</tag><tag>b</tag></tags>' +
        '<mail>marc@scalar.com</mail><password>pw</password></user>',
    );
  });
});
