import { CHECK_SETUP, checkEachFramework, scaffoldFixture } from '../support/project-check.js';

/**
 * A request body that is a `oneOf` of objects told apart by a discriminator (ory kratos's
 * `POST /self-service/login`: `method` a plain string in every branch, the mapping naming the
 * branch) is validated against the branch its discriminator names, sent as JSON or as a form —
 * it was 400 "must match exactly one schema" for every body, since a password body also fits
 * the branches that require less. A form's fields take the types of that branch's properties.
 */
const { spec, work } = scaffoldFixture('form-oneof.yaml');

const HANDLER = `import type { UpdateLoginFlowInput, UpdateLoginFlowOutput, OperationContext } from '../generated/operations.js';

export async function updateLoginFlow(input: UpdateLoginFlowInput, context: OperationContext): Promise<UpdateLoginFlowOutput> {
  void context;
  return { ...input.body };
}
`;

const CHECK = `${CHECK_SETUP}
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const login = (body: unknown, form = false) =>
  app.request('POST', '/self-service/login', body, { ...admin.headers, ...(form ? FORM : {}) });

describe('a oneOf body told apart by a discriminator', () => {
  it('is validated against the branch its discriminator names, as a form', async () => {
    const res = await login('method=password&identifier=ada&password=s3cret&remember=true', true);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ method: 'password', identifier: 'ada', password: 's3cret', remember: true });
    expect((await login('method=passkey', true)).body).toEqual({ method: 'passkey' });
    // A branch the mapping leaves out is named by its schema; its integer field is read as one.
    expect((await login('method=withTotp&totp_code=123456', true)).body).toEqual({ method: 'withTotp', totp_code: 123456 });
  });

  it('is validated against the branch its discriminator names, as JSON', async () => {
    const res = await login({ method: 'password', identifier: 'ada', password: 's3cret' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ method: 'password', identifier: 'ada', password: 's3cret' });
    expect((await login({ method: 'withTotp', totp_code: 7 })).status).toBe(200);
  });

  it('refuses what the named branch refuses, and a value naming no branch', async () => {
    expect((await login('method=password&identifier=ada', true)).status).toBe(400);
    expect((await login({ method: 'password', identifier: 'ada' })).status).toBe(400);
    expect((await login('method=withTotp&totp_code=abc', true)).status).toBe(400);
    expect((await login({ method: 'sms' })).status).toBe(400);
    expect((await login('identifier=ada&password=x', true)).status).toBe(400);
  });
});
`;

checkEachFramework(
  'oneOf bodies with a discriminator in a generated %s project',
  'are validated against the branch the discriminator names, as JSON and as a form',
  { spec, work },
  {
    name: 'form-oneof-check.test.ts',
    source: CHECK,
    tests: ['--hookTimeout=240000'],
    files: { 'src/operations/update-login-flow.ts': HANDLER },
  },
);
