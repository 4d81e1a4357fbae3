import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DockerfileParser } from 'dockerfile-ast';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { generateProject } from '../../src/scaffold/generate.js';

/**
 * No Docker engine or Kubernetes cluster runs where tenon's tests run, so
 * the deployment files are verified statically: every manifest against the
 * Kubernetes JSON schemas (kubernetes-models, Kubernetes 1.3x API), the
 * Dockerfile with a real Dockerfile parser.
 */
const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  Deployment: Deployment as never,
  Service: Service as never,
  HorizontalPodAutoscaler: HorizontalPodAutoscaler as never,
  PodDisruptionBudget: PodDisruptionBudget as never,
  ConfigMap: ConfigMap as never,
  Secret: Secret as never,
  Job: Job as never,
};

const work = mkdtempSync(join(tmpdir(), 'tenon-deploy-'));
const dir = join(work, 'shop');
afterAll(() => rmSync(work, { recursive: true, force: true }));
beforeAll(async () => {
  await generateProject({
    mode: 'new',
    dir,
    resources: 'Product(name:string, price:number:min=0)',
    cwd: work,
  });
});

// biome-ignore lint/suspicious/noExplicitAny: parsed YAML, read freely by the assertions
function manifests(): { file: string; doc: Record<string, any> }[] {
  return readdirSync(join(dir, 'k8s'))
    .sort()
    .map((file) => ({ file, doc: parse(readFileSync(join(dir, 'k8s', file), 'utf8')) }));
}

describe('k8s/ manifests', () => {
  it('has every kind the project needs', () => {
    expect(
      manifests()
        .map((m) => m.doc.kind)
        .sort(),
    ).toEqual(
      [
        'ConfigMap',
        'Deployment',
        'HorizontalPodAutoscaler',
        'Job',
        'PodDisruptionBudget',
        'Secret',
        'Secret',
        'Service',
      ].sort(),
    );
  });

  it('validates against the Kubernetes schemas', () => {
    for (const { file, doc } of manifests()) {
      const Model = MODELS[doc.kind]!;
      expect(() => new Model(doc as never).validate(), file).not.toThrow();
    }
  });

  it('the validator does catch mistakes (so the check above means something)', () => {
    const { doc } = manifests().find((m) => m.doc.kind === 'Deployment')!;
    const broken = structuredClone(doc);
    broken.spec.replicas = 'two';
    expect(() => new Deployment(broken).validate()).toThrow();
  });

  it('runs as non-root with probes, resources and a read-only root filesystem', () => {
    const { doc } = manifests().find((m) => m.doc.kind === 'Deployment')!;
    const pod = doc.spec.template.spec;
    const container = pod.containers[0];
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
    expect(container.securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
    expect(container.readinessProbe.httpGet.path).toBe('/health/ready');
    expect(container.livenessProbe.httpGet.path).toBe('/health/live');
    expect(container.resources.requests).toBeDefined();
    expect(container.resources.limits).toBeDefined();
    const job = manifests().find((m) => m.doc.kind === 'Job')!.doc;
    expect(job.spec.template.spec.containers[0].command).toEqual(['node', 'dist/migrate.js', 'up']);
  });

  it("least privilege: only the migration Job gets the owner's credentials; the service's own role has no DDL", () => {
    const secretsOf = (kind: string) =>
      manifests()
        .find((m) => m.doc.kind === kind)!
        .doc.spec.template.spec.containers[0].envFrom.map(
          (e: { secretRef?: { name: string } }) => e.secretRef?.name,
        )
        .filter(Boolean);
    expect(secretsOf('Deployment')).toEqual(['shop-secrets']);
    expect(secretsOf('Job')).toEqual(['shop-migration-secrets']);
    const secrets = Object.fromEntries(
      manifests()
        .filter((m) => m.doc.kind === 'Secret')
        .map((m) => [m.doc.metadata.name, m.doc.stringData]),
    );
    const user = (url: string) => new URL(url).username;
    expect(user(secrets['shop-secrets'].DATABASE_URL)).toBe(secrets['shop-migration-secrets'].DB_APP_ROLE);
    expect(user(secrets['shop-migration-secrets'].DATABASE_URL)).not.toBe(
      secrets['shop-migration-secrets'].DB_APP_ROLE,
    );
  });
});

describe('Dockerfile', () => {
  const dockerfile = () => DockerfileParser.parse(readFileSync(join(dir, 'Dockerfile'), 'utf8'));

  it('is multi-stage, from a pinned base image', () => {
    const file = dockerfile();
    const froms = file.getFROMs();
    expect(froms.length).toBeGreaterThanOrEqual(2);
    const arg = file.getARGs().find((a) => a.getProperty()?.getName() === 'NODE_IMAGE');
    const image = arg?.getProperty()?.getValue() ?? '';
    // An exact release (x.y.z) or a digest, never `latest` or a floating major.
    expect(image).toMatch(/^node:\d+\.\d+\.\d+[-\w.]*(@sha256:[0-9a-f]{64})?$/);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a Dockerfile variable, not a JS template
    for (const from of froms) expect(from.getImageName()).toBe('${NODE_IMAGE}');
    expect(froms.map((f) => f.getBuildStage())).toEqual(['build', 'runtime']);
  });

  it("is a Node LTS line its maintainers still support (Node's release schedule)", () => {
    const image = dockerfile()
      .getARGs()
      .find((a) => a.getProperty()?.getName() === 'NODE_IMAGE')
      ?.getProperty()
      ?.getValue();
    const major = Number(/^node:(\d+)\./.exec(image ?? '')?.[1]);
    // End of life of the LTS lines (github.com/nodejs/Release); odd majors are never LTS.
    const endOfLife: Record<number, string> = {
      20: '2026-04-30',
      22: '2027-04-30',
      24: '2028-04-30',
      26: '2029-04-30',
    };
    expect(endOfLife[major], `node ${major} is not an LTS line tenon knows`).toBeDefined();
    expect(new Date(endOfLife[major]!).getTime()).toBeGreaterThan(Date.now());
  });

  it('runs as a non-root user, with a healthcheck, and copies only build output', () => {
    const file = dockerfile();
    const instructions = file.getInstructions();
    const runtimeStart = instructions.indexOf(file.getFROMs()[1]!);
    const runtime = instructions.slice(runtimeStart);
    const user = runtime.filter((i) => i.getKeyword() === 'USER').at(-1);
    expect(user?.getArgumentsContent()).toBe('node');
    expect(runtime.some((i) => i.getKeyword() === 'HEALTHCHECK')).toBe(true);
    expect(runtime.findIndex((i) => i.getKeyword() === 'USER')).toBeLessThan(
      runtime.findIndex((i) => i.getKeyword() === 'CMD'),
    );
    type WithFlags = { getFlags(): { getName(): string; getValue(): string | null }[] };
    const fromBuild = runtime
      .filter((i) => i.getKeyword() === 'COPY')
      .filter((i) =>
        (i as unknown as WithFlags)
          .getFlags()
          .some((f) => f.getName() === 'from' && f.getValue() === 'build'),
      );
    expect(fromBuild.map((i) => i.getArgumentsContent())).toEqual([
      '/app/node_modules ./node_modules',
      '/app/dist ./dist',
    ]);
    expect(file.getCMDs()[0]?.getArgumentsContent()).toContain('dist/server.js');
  });
});

describe('docker-compose.yml and CI', () => {
  it('starts app, migrations, postgres and redis with healthchecks', () => {
    const compose = parse(readFileSync(join(dir, 'docker-compose.yml'), 'utf8'));
    expect(Object.keys(compose.services).sort()).toEqual(['app', 'migrate', 'postgres', 'redis']);
    expect(compose.services.app.depends_on.migrate.condition).toBe('service_completed_successfully');
    expect(compose.services.postgres.healthcheck).toBeDefined();
    expect(compose.services.postgres.image).toMatch(/^postgres:\d+\.\d+/);
    expect(compose.services.postgres.ports).toBeUndefined();
  });

  it('least privilege: migrations run as the owner, the app as the role they grant data rights to', () => {
    const compose = parse(readFileSync(join(dir, 'docker-compose.yml'), 'utf8'));
    const user = (url: string) => new URL(url.replace(/\$\{[^}]*\}/g, 'x')).username;
    const { app, migrate } = compose.services;
    expect(migrate.environment.DB_APP_ROLE).toBe('app_rw');
    expect(user(app.environment.DATABASE_URL)).toBe('app_rw');
    expect(user(migrate.environment.DATABASE_URL)).toBe(compose.services.postgres.environment.POSTGRES_USER);
    // The migration step signs no tokens, so it is not given the signing key.
    expect(migrate.environment.JWT_SECRET).toBeUndefined();
  });

  it('CI runs lint, tests on PGlite and PostgreSQL, and the build', () => {
    const ci = parse(readFileSync(join(dir, '.github/workflows/ci.yml'), 'utf8'));
    const steps = ci.jobs.test.steps.map((s: { run?: string }) => s.run).filter(Boolean);
    expect(steps).toEqual(['npm ci', 'npm run lint', 'npm test', 'npm test', 'npm run build']);
    expect(ci.jobs.test.services.postgres.image).toMatch(/^postgres:/);
  });
});
