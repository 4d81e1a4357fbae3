import { Job } from 'kubernetes-models/batch/v1/Job';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderK8sJob } from '../../src/load/k8s-job.js';
import { resolveLoadOptions } from '../../src/load/load-options.js';
import { buildLoadPlan, parseLoadPlan } from '../../src/load/load-plan.js';

const options = resolveLoadOptions({
  urls: ['http://api.shop.svc:3000/api/v1/products'],
  rate: 1000,
  duration: '60s',
  workers: 1,
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: '{"name":"chair"}',
  thresholds: ['p99<200ms'],
});
const startAt = new Date('2026-12-06T10:00:00Z');
const plan = buildLoadPlan(options, 4, startAt);

// biome-ignore lint/suspicious/noExplicitAny: parsed YAML, read freely by the assertions
function docs(files: Record<string, string>): Record<string, any> {
  return Object.fromEntries(Object.entries(files).map(([f, text]) => [f, parse(text)]));
}

describe('renderK8sJob', () => {
  const files = docs(renderK8sJob({ plan, name: 'shop-load', version: '0.1.0', workers: 1 }));

  it('validates against the Kubernetes schemas (as the scaffold’s manifests do)', () => {
    expect(() => new Job(files['job.yaml']).validate()).not.toThrow();
    expect(() => new ConfigMap(files['configmap.yaml']).validate()).not.toThrow();
  });

  it('the validator catches mistakes (so the check above means something)', () => {
    const broken = structuredClone(files['job.yaml']);
    broken.spec.completions = 'four';
    expect(() => new Job(broken).validate()).toThrow();
  });

  it('is an Indexed Job running every shard at once, without retries', () => {
    const { spec } = files['job.yaml'];
    expect(spec).toMatchObject({
      completionMode: 'Indexed',
      completions: 4,
      parallelism: 4,
      backoffLimit: 0,
    });
    const container = spec.template.spec.containers[0];
    expect(container.command).toEqual(['npx', '--yes', 'tenon@0.1.0']);
    expect(container.args).toEqual(['load', '--plan', '/etc/tenon/plan.json', '--result-json', '-']);
    expect(spec.template.spec.volumes[0].configMap.name).toBe('shop-load-plan');
    expect(container.securityContext.readOnlyRootFilesystem).toBe(true);
  });

  it('writes results to a volume when given a claim', () => {
    const job = docs(
      renderK8sJob({
        plan,
        name: 'l',
        version: '0.1.0',
        workers: 2,
        image: 'reg/tenon:1',
        resultsClaim: 'res',
      }),
    )['job.yaml'];
    const container = job.spec.template.spec.containers[0];
    expect(container.command).toEqual(['tenon']);
    expect(container.args).toContain('/results/shard-$(JOB_COMPLETION_INDEX).json');
    expect(() => new Job(job).validate()).not.toThrow();
  });

  it('carries the whole plan in the ConfigMap, body included', () => {
    const text = files['configmap.yaml'].data['plan.json'];
    const back = parseLoadPlan(text, 'plan.json');
    expect(back.shardCount).toBe(4);
    expect(back.startAt).toEqual(startAt);
    const again = resolveLoadOptions(back.options);
    expect({ ...again, body: Buffer.from(again.body as Uint8Array).toString() }).toEqual(options);
  });
});

describe('parseLoadPlan', () => {
  it('refuses what is not a plan', () => {
    for (const text of ['{', '{"schema":"tenon.load.plan/v1","shardCount":0}', '[]']) {
      expect(() => parseLoadPlan(text, 'p.json')).toThrow(
        expect.objectContaining({ code: 'TENON_LOAD_PLAN_INVALID' }),
      );
    }
  });
});
