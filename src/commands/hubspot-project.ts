import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { type Config, loadConfig } from '../config.ts';
import { ConfigError } from '../errors.ts';
import { connectHubSpot } from '../hubspot/connect.ts';
import { detectPortal } from '../hubspot/portal.ts';
import { connectRedis, waitForRedis } from '../redis.ts';
import { loadPortalSettings } from '../store/portal-state.ts';
import {
  defaultStageDateProperties,
  legacySubscriptions,
  type ProjectInput,
  profileContent,
  projectFiles,
  subscribedProperties,
  WEBHOOK_PATH,
} from './hubspot-project-files.ts';

// HubSpot fetches the card's API and delivers webhooks over HTTPS only; the card refuses anything else.
const publicUrlSchema = z
  .url({ protocol: /^https$/, error: 'must be an https:// URL' })
  .refine((value) => !/[?#]/.test(value), 'must not carry a query or a fragment')
  .transform((value) => value.replace(/\/+$/, ''));

export const hubspotProjectOptionsSchema = z.object({
  publicUrl: publicUrlSchema.optional(),
  profile: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, 'letters, digits, _ and - only')
    .default('production'),
  out: z.string().min(1).default('infra/hubspot'),
  defaultPortal: z.boolean().default(false),
  accountId: z.coerce.number().int().positive().optional(),
  listSubscriptions: z.boolean().default(false),
});
export type HubSpotProjectOptions = z.input<typeof hubspotProjectOptionsSchema>;

interface PortalSource {
  readonly stageDateProperties: Readonly<Record<string, string>>;
  readonly portalId?: number;
  readonly from: string;
}

const NO_PORTAL = [
  "The portal's lifecycle stages are not known yet: `closeloop setup` has not run against this Redis",
  '(REDIS_URL, REDIS_PREFIX) and HUBSPOT_ACCESS_TOKEN is not set. Either run `closeloop setup` first,',
  "set HUBSPOT_ACCESS_TOKEN to detect the portal now, or pass --default-portal to use HubSpot's default",
  'lifecycle stages (and run this again after setup if your portal has others).',
].join('\n');

/** The stage-entry dates: HubSpot's defaults on request, else what setup stored, else detected now. */
async function findPortal(defaultPortal: boolean, config: Config): Promise<PortalSource> {
  if (defaultPortal)
    return { stageDateProperties: defaultStageDateProperties(), from: "HubSpot's default lifecycle stages" };
  const redis = connectRedis(config.redis, 'cli');
  try {
    await waitForRedis(redis, 5000).catch((error: unknown) => {
      const hint =
        'The portal setup detected is kept in Redis: start it (REDIS_URL), or pass --default-portal.';
      throw new Error(`${(error as Error).message}\n${hint}`);
    });
    const stored = await loadPortalSettings(redis, config.redis.prefix);
    if (stored) return { ...stored, from: `portal ${stored.portalId} as \`closeloop setup\` detected it` };
    if (!config.hubspot.accessToken) throw new Error(NO_PORTAL);
    const portal = await detectPortal(connectHubSpot(config, redis, () => 'UTC'));
    return { ...portal, from: `portal ${portal.portalId}, detected with HUBSPOT_ACCESS_TOKEN` };
  } finally {
    redis.disconnect();
  }
}

const profileFileSchema = z.looseObject({
  accountId: z.number().int().positive().optional(),
  variables: z.record(z.string(), z.unknown()).optional(),
});

/** A profile someone already has keeps its other variables and, unless a new one is known, its account. */
async function readProfile(path: string): Promise<z.infer<typeof profileFileSchema>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const parsed = profileFileSchema.safeParse(json);
  if (!parsed.success) throw new Error(`${path} is not a HubSpot config profile: fix or delete it`);
  return parsed.data;
}

/** A path as the operator typed it: relative to where they are, unless that climbs out. */
function shown(path: string): string {
  const near = relative(process.cwd(), path);
  return near === '' ? '.' : near.startsWith('..') ? path : near;
}

/** Writes a file when its content changes; says which. */
async function writeIfChanged(path: string, content: string): Promise<'created' | 'updated' | 'unchanged'> {
  const before = await readFile(path, 'utf8').catch(() => undefined);
  if (before === content) return 'unchanged';
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, content);
  return before === undefined ? 'created' : 'updated';
}

function accountFor(portal: PortalSource, option: number | undefined, existing: number | undefined) {
  if (portal.portalId !== undefined && option !== undefined && option !== portal.portalId)
    throw new Error(`--account-id ${option} is not the portal closeloop knows (${portal.portalId})`);
  return portal.portalId ?? option ?? existing;
}

async function writeProfile(
  dir: string,
  options: z.output<typeof hubspotProjectOptionsSchema>,
  portal: PortalSource,
  print: (line: string) => void,
): Promise<void> {
  if (!options.publicUrl) {
    print('no config profile written: pass --public-url https://… to write one');
    return;
  }
  const path = join(dir, 'src', `hsprofile.${options.profile}.json`);
  const existing = await readProfile(path);
  const accountId = accountFor(portal, options.accountId, existing.accountId);
  const status = await writeIfChanged(path, profileContent(accountId, options.publicUrl, existing.variables));
  print(`${status} ${shown(path)} (CLOSELOOP_BASE_URL ${options.publicUrl})`);
  if (accountId === undefined)
    print(`  no account id: pass --account-id (hs accounts list shows it) or add "accountId" to the file`);
}

function listSubscriptions(
  input: ProjectInput,
  publicUrl: string | undefined,
  print: (line: string) => void,
) {
  if (!publicUrl) throw new Error('--list-subscriptions needs --public-url: it names the target URL');
  print(`Target URL: ${publicUrl}${WEBHOOK_PATH}`);
  print('Subscriptions (object.event, then the property for property changes):');
  for (const line of legacySubscriptions(input)) print(`  ${line}`);
}

/**
 * `closeloop hubspot-project`: writes the HubSpot project's files for this configuration and
 * portal, and a config profile naming the public URL; or lists the subscriptions for a legacy app.
 */
export async function runHubSpotProject(
  raw: HubSpotProjectOptions,
  env: NodeJS.ProcessEnv,
  print: (line: string) => void,
): Promise<void> {
  const options = parseOptions(raw);
  const config = loadConfig(env);
  const portal = await findPortal(options.defaultPortal, config);
  const input = { tracked: config.metrics, stageDateProperties: portal.stageDateProperties };
  print(`lifecycle stage dates from ${portal.from}`);
  const { skipped } = subscribedProperties(input);
  if (skipped.length > 0) print(`not subscribed, as closeloop ignores them: ${skipped.join(', ')}`);
  if (options.listSubscriptions) return listSubscriptions(input, options.publicUrl, print);
  const dir = resolve(options.out);
  for (const file of projectFiles(input)) {
    const path = join(dir, file.path);
    print(`${await writeIfChanged(path, file.content)} ${shown(path)}`);
  }
  await writeProfile(dir, options, portal, print);
  print(`next: cd ${shown(dir)} && hs project upload --profile ${options.profile}`);
}

function parseOptions(raw: HubSpotProjectOptions) {
  const parsed = hubspotProjectOptionsSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const flag = (key: PropertyKey | undefined) =>
    `--${String(key).replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
  throw new ConfigError(parsed.error.issues.map((issue) => `${flag(issue.path[0])}: ${issue.message}`));
}

/** Registers `closeloop hubspot-project`. */
export function addHubSpotProjectCommand(program: Command): void {
  program
    .command('hubspot-project')
    .description('generate the HubSpot project (scopes, webhook subscriptions) and its config profile')
    .option('--public-url <url>', "where `serve` is reached (https); the profile's CLOSELOOP_BASE_URL")
    .option('--profile <name>', 'config profile to write: src/hsprofile.<name>.json', 'production')
    .option('--out <dir>', 'the HubSpot project folder', 'infra/hubspot')
    .option('--default-portal', "HubSpot's default lifecycle stages instead of the portal's")
    .option('--account-id <id>', 'the HubSpot account id for the profile, when closeloop has no portal yet')
    .option('--list-subscriptions', 'print the subscriptions to enter in a legacy private app; write nothing')
    .action(async (flags: HubSpotProjectOptions) => {
      try {
        await runHubSpotProject(flags, process.env, (line) => process.stdout.write(`${line}\n`));
      } catch (error) {
        process.stderr.write(`${(error as Error).message}\n`);
        process.exitCode = error instanceof ConfigError ? 2 : 1;
      }
    });
}
