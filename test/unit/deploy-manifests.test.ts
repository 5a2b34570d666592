import { readdir, readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { z } from 'zod';
import { envSchema, loadConfig } from '../../src/config.ts';

const infra = new URL('../../infra/', import.meta.url);
const read = (path: string) => readFile(new URL(path, infra), 'utf8');
const SETTINGS = new Set(Object.keys(envSchema.shape));
const ALL_REQUIRED = ['HUBSPOT_ACCESS_TOKEN', 'HUBSPOT_CLIENT_SECRET', 'PUBLIC_BASE_URL'] as const;

const labels = z.record(z.string(), z.string());
const portRef = z.union([z.string(), z.number()]);
const probe = z.object({ httpGet: z.object({ path: z.string(), port: portRef }) });
const quantities = z.object({ cpu: z.string(), memory: z.string() });
const container = z.object({
  args: z.array(z.string()),
  ports: z.array(z.object({ name: z.string(), containerPort: z.number() })).min(1),
  envFrom: z.array(z.object({ configMapRef: z.object({ name: z.string() }) })),
  env: z.array(
    z.object({
      name: z.string(),
      valueFrom: z.object({ secretKeyRef: z.object({ name: z.string(), key: z.string() }) }),
    }),
  ),
  readinessProbe: probe,
  livenessProbe: probe,
  resources: z.object({ requests: quantities, limits: quantities }),
  securityContext: z.object({
    allowPrivilegeEscalation: z.literal(false),
    readOnlyRootFilesystem: z.literal(true),
    capabilities: z.object({ drop: z.tuple([z.literal('ALL')]) }),
  }),
});
const deployment = z.object({
  kind: z.literal('Deployment'),
  metadata: z.object({ name: z.string() }),
  spec: z.object({
    selector: z.object({ matchLabels: labels }),
    template: z.object({
      metadata: z.object({ labels, annotations: labels }),
      spec: z.object({
        terminationGracePeriodSeconds: z.number(),
        securityContext: z.object({ runAsNonRoot: z.literal(true) }),
        containers: z.tuple([container]),
      }),
    }),
  }),
});
const named = <S extends z.ZodRawShape>(kind: string, shape: S) =>
  z.object({ kind: z.literal(kind), metadata: z.object({ name: z.string() }), ...shape });
const configMap = named('ConfigMap', { data: labels });
const secret = named('Secret', { stringData: labels });
const service = named('Service', {
  spec: z.object({ selector: labels, ports: z.array(z.object({ targetPort: portRef })) }),
});
const budget = named('PodDisruptionBudget', {
  spec: z.object({ selector: z.object({ matchLabels: labels }) }),
});
const kustomization = z.object({ resources: z.array(z.string()) });

async function k8s() {
  const files = (await readdir(new URL('k8s/', infra))).filter((file) => file.endsWith('.yaml'));
  const objects = await Promise.all(
    files.map(async (file) => parseAllDocuments(await read(`k8s/${file}`)).map((doc) => doc.toJS())),
  );
  const all = objects.flat() as { kind?: string }[];
  const ofKind = <T>(kind: string, schema: z.ZodType<T>) =>
    all.filter((object) => object.kind === kind).map((object) => schema.parse(object));
  const [config] = ofKind('ConfigMap', configMap);
  const deployments = new Map(ofKind('Deployment', deployment).map((d) => [d.metadata.name, d]));
  const serve = deployments.get('closeloop-serve');
  const work = deployments.get('closeloop-work');
  if (!config || !serve || !work) throw new Error('infra/k8s needs a ConfigMap and both Deployments');
  return {
    files,
    config,
    serve,
    work,
    secret: secret.parse(parse(await read('k8s/secret.example.yaml'))),
    kustomization: kustomization.parse(parse(await read('k8s/kustomization.yaml'))),
    services: ofKind('Service', service),
    budgets: ofKind('PodDisruptionBudget', budget),
  };
}

type Deployment = z.infer<typeof deployment>;
const containerOf = (d: Deployment) => d.spec.template.spec.containers[0];
const portOf = (d: Deployment, port: string | number) =>
  typeof port === 'number' ? port : containerOf(d).ports.find((p) => p.name === port)?.containerPort;
const selects = (selector: Record<string, string>, d: Deployment) =>
  Object.entries(selector).every(([key, value]) => d.spec.template.metadata.labels[key] === value);

describe('Kubernetes manifests', () => {
  it('name only settings of envSchema, wired through the ConfigMap and Secret by name', async () => {
    const { config, serve, work, secret } = await k8s();
    const names = [...Object.keys(config.data), ...Object.keys(secret.stringData)];
    for (const d of [serve, work]) {
      expect(containerOf(d).envFrom.map((from) => from.configMapRef.name)).toEqual([config.metadata.name]);
      for (const { name, valueFrom } of containerOf(d).env) {
        expect(valueFrom.secretKeyRef).toEqual({ name: secret.metadata.name, key: name });
        names.push(name);
      }
    }
    expect(names.filter((name) => !SETTINGS.has(name))).toEqual([]);
  });

  it('hold a ConfigMap (and Secret example) that the configuration accepts', async () => {
    const { config, secret } = await k8s();
    const env = { ...config.data, ...secret.stringData };
    expect(() => loadConfig(env, ALL_REQUIRED)).not.toThrow();
    expect(Object.keys(secret.stringData).sort()).toEqual([
      'DASHBOARD_TOKEN',
      'HUBSPOT_ACCESS_TOKEN',
      'HUBSPOT_CLIENT_SECRET',
    ]);
  });

  it('listen, probe and get scraped on the configured PORT and WORK_PORT', async () => {
    const { config, serve, work } = await k8s();
    const settings = loadConfig(config.data);
    for (const [d, args, port] of [
      [serve, ['serve'], settings.port],
      [work, ['work'], settings.workPort],
    ] as const) {
      const c = containerOf(d);
      expect(c.args).toEqual(args);
      expect(c.ports.map((p) => p.containerPort)).toEqual([port]);
      expect(c.readinessProbe.httpGet.path).toBe('/readyz');
      expect(c.livenessProbe.httpGet.path).toBe('/healthz');
      expect(portOf(d, c.readinessProbe.httpGet.port)).toBe(port);
      expect(portOf(d, c.livenessProbe.httpGet.port)).toBe(port);
      expect(d.spec.template.metadata.annotations).toMatchObject({
        'prometheus.io/scrape': 'true',
        'prometheus.io/port': String(port),
        'prometheus.io/path': '/metrics',
      });
    }
  });

  it('give pods longer than the shutdown drain and timeout before SIGKILL', async () => {
    const { config, serve, work } = await k8s();
    const { drainSeconds, timeoutSeconds } = loadConfig(config.data).shutdown;
    for (const d of [serve, work])
      expect(d.spec.template.spec.terminationGracePeriodSeconds).toBeGreaterThan(
        drainSeconds + timeoutSeconds,
      );
  });

  it('select pods consistently: Deployments, the Service and one PDB each', async () => {
    const { config, serve, work, services, budgets } = await k8s();
    const { port } = loadConfig(config.data);
    for (const d of [serve, work]) expect(selects(d.spec.selector.matchLabels, d)).toBe(true);
    expect(services).toHaveLength(1);
    const { selector, ports } = services[0]?.spec ?? { selector: {}, ports: [] };
    expect([selects(selector, serve), selects(selector, work)]).toEqual([true, false]);
    for (const { targetPort } of ports) expect(portOf(serve, targetPort)).toBe(port);
    const covered = budgets.map((pdb) =>
      [serve, work].filter((d) => selects(pdb.spec.selector.matchLabels, d)),
    );
    expect(covered.map((ds) => ds.map((d) => d.metadata.name)).sort()).toEqual([
      ['closeloop-serve'],
      ['closeloop-work'],
    ]);
  });

  it('apply every manifest but the Secret example', async () => {
    const { files, kustomization } = await k8s();
    expect(kustomization.resources).not.toContain('secret.example.yaml');
    const manifests = files.filter((file) => !['kustomization.yaml', 'secret.example.yaml'].includes(file));
    expect([...kustomization.resources].sort()).toEqual(manifests.sort());
  });
});

const composeService = z.object({
  environment: labels.default({}),
  ports: z.array(z.string()).default([]),
  healthcheck: z.object({ test: z.array(z.string()) }).optional(),
  stop_grace_period: z.string().optional(),
  command: z.array(z.string()).default([]),
  volumes: z.array(z.string()).default([]),
});
const INTERPOLATION = /\$\{(\w+)(?::?([-?])([^}]*))?\}/g;

async function compose() {
  const text = await read('docker-compose.yml');
  const file = z
    .object({ services: z.record(z.string(), composeService) })
    .parse(parse(text, { merge: true }));
  const { serve, work, redis } = file.services;
  if (!serve || !work || !redis) throw new Error('compose needs redis, serve and work');
  return { text, services: file.services, serve, work, redis };
}

/** A service's environment as the container sees it: defaults, and a plausible value where one is required. */
function resolved(environment: Record<string, string>): Record<string, string> {
  const given = (name: string) =>
    name === 'PUBLIC_BASE_URL' ? 'https://closeloop.example.com' : 'a-value-for-tests';
  return Object.fromEntries(
    Object.entries(environment).map(([name, value]) => [
      name,
      value.replace(INTERPOLATION, (_whole, variable: string, operator?: string, fallback = '') =>
        operator === '?' ? given(variable) : fallback,
      ),
    ]),
  );
}

const seconds = (duration: string | undefined) => {
  const match = /^(\d+)(s|m)$/.exec(duration ?? '');
  if (!match) throw new Error(`unexpected stop_grace_period ${duration}`);
  return Number(match[1]) * (match[2] === 'm' ? 60 : 1);
};

describe('Docker Compose', () => {
  it('names only settings that exist in envSchema, and they parse', async () => {
    const { text, services, serve, work } = await compose();
    const referenced = [...text.matchAll(INTERPOLATION)].map((match) => match[1] ?? '');
    const set = Object.values(services).flatMap((service) => Object.keys(service.environment));
    expect([...referenced, ...set].filter((name) => !SETTINGS.has(name))).toEqual([]);
    for (const service of [serve, work])
      expect(() => loadConfig(resolved(service.environment), ALL_REQUIRED)).not.toThrow();
  });

  it('maps ports, checks work on WORK_PORT and waits longer than drain and timeout', async () => {
    const { serve, work, redis } = await compose();
    const config = loadConfig(resolved(serve.environment));
    expect(serve.ports.map((port) => port.split(':').at(-1))).toEqual([String(config.port)]);
    expect(work.ports.map((port) => port.split(':').at(-1))).toEqual([String(config.workPort)]);
    const check = work.healthcheck?.test.join(' ') ?? '';
    expect(check).toContain("process.env.WORK_PORT + '/healthz'");
    const { drainSeconds, timeoutSeconds } = config.shutdown;
    for (const service of [serve, work])
      expect(seconds(service.stop_grace_period)).toBeGreaterThan(drainSeconds + timeoutSeconds);
    const [mounted] = redis.volumes.filter((volume) => volume.startsWith('./redis.conf:'));
    expect(redis.command).toContain(mounted?.split(':')[1]);
  });
});
