import { yaml } from '../core/lazy-yaml.js';
import type { LoadPlan } from './load-plan.js';

/** Options of {@link renderK8sJob}. */
export interface K8sJobOptions {
  plan: LoadPlan;
  /** Job and ConfigMap name prefix (DNS label). */
  name: string;
  /** tenon's version, for the default image's `npx tenon@VERSION`. */
  version: string;
  /** An image whose entrypoint has `tenon` on PATH; default: a Node image running tenon through npx. */
  image?: string;
  /** A PersistentVolumeClaim to write `shard-<index>.json` to, instead of stdout. */
  resultsClaim?: string;
  /** Worker threads per pod (the CPU request follows). */
  workers: number;
}

/** The default image when none is given: Node.js, tenon fetched by npx at the pinned version. */
export const DEFAULT_LOAD_IMAGE = 'node:22-bookworm-slim';

/**
 * Renders a distributed run as Kubernetes manifests: a ConfigMap with the
 * plan and an Indexed Job of `shardCount` pods, all running at once
 * (parallelism = completions), each taking its share by the
 * `JOB_COMPLETION_INDEX` Kubernetes sets. No retries: a shard restarted
 * after the common start would not overlap the others.
 *
 * @returns file name → YAML text
 */
export function renderK8sJob(options: K8sJobOptions): Record<string, string> {
  const { plan, name } = options;
  const labels = { 'app.kubernetes.io/name': 'tenon-load', 'app.kubernetes.io/instance': name };
  const resultArgs = options.resultsClaim
    ? // Kubernetes expands $(VAR) in args from the container's environment.
      ['--result-json', '/results/shard-$(JOB_COMPLETION_INDEX).json']
    : ['--result-json', '-'];
  const configMap = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: `${name}-plan`, labels },
    data: { 'plan.json': `${JSON.stringify(plan, null, 2)}\n` },
  };
  const job = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, labels },
    spec: {
      completionMode: 'Indexed',
      completions: plan.shardCount,
      parallelism: plan.shardCount,
      backoffLimit: 0,
      ttlSecondsAfterFinished: 86_400,
      template: {
        metadata: { labels },
        spec: {
          restartPolicy: 'Never',
          // Spread the shards over nodes: the point is more machines' CPU and network.
          affinity: {
            podAntiAffinity: {
              preferredDuringSchedulingIgnoredDuringExecution: [
                {
                  weight: 100,
                  podAffinityTerm: {
                    topologyKey: 'kubernetes.io/hostname',
                    labelSelector: { matchLabels: labels },
                  },
                },
              ],
            },
          },
          securityContext: {
            runAsNonRoot: true,
            runAsUser: 1000,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          containers: [
            {
              name: 'tenon',
              image: options.image ?? DEFAULT_LOAD_IMAGE,
              command: options.image ? ['tenon'] : ['npx', '--yes', `tenon@${options.version}`],
              args: ['load', '--plan', '/etc/tenon/plan.json', ...resultArgs],
              env: [
                { name: 'HOME', value: '/tmp' },
                { name: 'NO_UPDATE_NOTIFIER', value: '1' },
              ],
              // No CPU limit: CFS throttling would stall the generator and count as its own delay.
              resources: {
                requests: { cpu: String(options.workers + 0.5), memory: '256Mi' },
                limits: { memory: '1Gi' },
              },
              securityContext: {
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                capabilities: { drop: ['ALL'] },
              },
              volumeMounts: [
                { name: 'plan', mountPath: '/etc/tenon', readOnly: true },
                { name: 'tmp', mountPath: '/tmp' },
                ...(options.resultsClaim ? [{ name: 'results', mountPath: '/results' }] : []),
              ],
            },
          ],
          volumes: [
            { name: 'plan', configMap: { name: `${name}-plan` } },
            { name: 'tmp', emptyDir: {} },
            ...(options.resultsClaim
              ? [{ name: 'results', persistentVolumeClaim: { claimName: options.resultsClaim } }]
              : []),
          ],
        },
      },
    },
  };
  return { 'configmap.yaml': yaml().stringify(configMap), 'job.yaml': yaml().stringify(job) };
}
