import type { Command } from 'commander';
import { sandboxOptionsFromFlags } from './sandbox-flags.ts';
import { SCOPES } from './scopes.ts';
import { startSandbox } from './start-sandbox.ts';

/** Flag, help, default: HubSpot Starter's budgets unless told otherwise. */
const FLAGS: [flag: string, description: string, defaultValue?: string][] = [
  ['--port <port>', 'port to listen on (0 = random)', '4010'],
  ['--host <host>', 'address to listen on', '127.0.0.1'],
  ['--access-token <token>', 'require Authorization: Bearer <token>'],
  ['--client-secret <secret>', 'secret that signs webhooks (v3 and v1)'],
  ['--webhook-url <url>', 'where to POST webhook events'],
  ['--app-id <id>', 'appId in webhook events'],
  ['--portal-id <id>', 'portal (account) id'],
  ['--time-zone <tz>', 'account time zone (daily limit resets at its midnight)', 'America/New_York'],
  ['--currency <code>', 'company currency', 'USD'],
  ['--requests-per-10s <n>', 'rolling ten-second budget (0 = off)', '100'],
  ['--window-ms <ms>', 'length of the rolling window', '10000'],
  ['--daily-limit <n>', 'daily budget (0 = off)', '250000'],
  ['--search-per-second <n>', 'search requests per second (0 = off)', '5'],
  ['--fail-rate <fraction>', 'fraction (0-1) of API calls that fail'],
  ['--faults <kinds>', 'comma list of 429,423,500,502,503,504,timeout,slow,207'],
  ['--duplicate-rate <fraction>', 'fraction of webhook events delivered twice'],
  ['--shuffle', 'shuffle webhook events across deliveries'],
  ['--seed <n>', 'seed for faults, duplicates and shuffling'],
  ['--lifecycle-dates <mode>', 'lifecycle entry-date properties: v2 or legacy'],
  ['--association-page-size <n>', 'page size of association reads'],
  ['--campaigns-api <mode>', 'Marketing Campaigns API: available, or forbidden (403 as on lower tiers)'],
  ['--webhook-backoff-scale <factor>', 'multiplies the webhook retry schedule'],
  ['--no-webhooks', 'send no webhooks at all (POST /__sandbox/config {"webhooks": true} turns them on)'],
  ['--scopes <scopes>', `scopes granted to the token, comma list of ${SCOPES.join(',')} (default: all)`],
  [
    '--subscriptions <path>',
    'webhook subscriptions (a *-hsmeta.json)',
    'infra/hubspot/src/app/webhooks/webhooks-hsmeta.json',
  ],
];

/** `closeloop sandbox`: a local HubSpot stand-in until SIGINT/SIGTERM. */
export function addSandboxCommand(program: Command): void {
  const command = program
    .command('sandbox')
    .description(
      'Run a local HubSpot stand-in (CRM objects, associations, properties, campaigns, webhooks, limits, faults)',
    );
  for (const [flag, description, defaultValue] of FLAGS) command.option(flag, description, defaultValue);
  command.action(async (flags: Record<string, unknown>) => {
    const result = sandboxOptionsFromFlags(flags);
    if (!result.ok) {
      process.stderr.write(
        `closeloop sandbox: invalid flags\n${result.problems.map((p) => `  ${p}`).join('\n')}\n`,
      );
      process.exit(2);
    }
    const sandbox = await startSandbox({
      ...result.options,
      logger: (line) => process.stderr.write(`${line}\n`),
    });
    process.stdout.write(`HubSpot sandbox listening on ${sandbox.url}\n`);
    const stop = () => {
      sandbox.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
