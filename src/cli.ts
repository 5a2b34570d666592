#!/usr/bin/env node
import { Command, Option } from 'commander';
import { runBackfill } from './commands/backfill-command.ts';
import { configFor, loggerFor, untilSignal, withHubSpot, withRedis } from './commands/cli-context.ts';
import { parseCohortDates } from './commands/cohort-dates.ts';
import { runDemo } from './commands/demo.ts';
import { formatChecks, runDoctor } from './commands/doctor.ts';
import { addHubSpotProjectCommand } from './commands/hubspot-project.ts';
import { runReconcile } from './commands/reconcile-command.ts';
import { report, SORT_KEYS, type SortKey } from './commands/report.ts';
import { setup } from './commands/setup.ts';
import { importSpend } from './commands/spend-import.ts';
import { startWork } from './commands/work.ts';
import { worstOf } from './core/doctor-verdicts.ts';
import { addSandboxCommand } from './sandbox/sandbox-command.ts';
import { startServer } from './serve.ts';

const program = new Command('closeloop')
  .description('Links HubSpot marketing leads to closed sales.')
  .showHelpAfterError();

program
  .command('serve')
  .description('HTTP: HubSpot webhooks, health and metrics')
  .action(async () => {
    const config = configFor(['HUBSPOT_CLIENT_SECRET', 'PUBLIC_BASE_URL']);
    const logger = loggerFor(config, 'closeloop-serve');
    const server = await startServer(config, logger);
    const { drainSeconds, timeoutSeconds } = config.shutdown;
    untilSignal(
      () => server.close({ drainMs: drainSeconds * 1000, timeoutMs: timeoutSeconds * 1000 }),
      (error) => logger.error({ err: error }, 'shutdown failed'),
    );
  });

program
  .command('work')
  .description('run the workers: sync, score, write-back, backfill')
  .action(async () => {
    const config = configFor(['HUBSPOT_ACCESS_TOKEN']);
    const logger = loggerFor(config, 'closeloop-work');
    const work = await startWork(config, logger);
    untilSignal(
      () => work.close({ timeoutMs: config.shutdown.timeoutSeconds * 1000 }),
      (error) => logger.error({ err: error }, 'shutdown failed'),
    );
  });

program
  .command('setup')
  .description('detect the portal and create the closeloop properties (idempotent)')
  .action(async () => {
    const config = configFor(['HUBSPOT_ACCESS_TOKEN']);
    await withHubSpot(config, async (redis, http) => {
      const report = await setup(http, redis, config.redis.prefix);
      for (const line of report.lines) process.stdout.write(`${line}\n`);
    });
  });

program
  .command('doctor')
  .description(
    'check the installation: config, token and scopes, properties, Redis, public URL, clocks, queues, API budget',
  )
  .option('--json', 'the checks as JSON')
  .action(async (options: { json?: boolean }) => {
    const checks = await runDoctor(process.env);
    const colour = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
    process.stdout.write(
      `${options.json ? JSON.stringify(checks, null, 2) : formatChecks(checks, colour)}\n`,
    );
    process.exitCode = worstOf(checks) === 'fail' ? 1 : 0;
  });

program
  .command('backfill')
  .description('rebuild the projection from HubSpot, then score and write back (safe to interrupt)')
  .action(async () => {
    const config = configFor(['HUBSPOT_ACCESS_TOKEN']);
    const logger = loggerFor(config, 'closeloop-backfill');
    await withHubSpot(config, (redis, http) =>
      runBackfill(config, redis, http, logger, (line) => process.stdout.write(`${line}\n`)),
    );
  });

program
  .command('reconcile')
  .description(
    'sweep now for changes webhooks missed (the workers also run it on a schedule); queues fixes for sync',
  )
  .option('--ids', 'compare every id instead: finds deletions and merges (one call per 100 records)')
  .action(async (options: { ids?: boolean }) => {
    const config = configFor(['HUBSPOT_ACCESS_TOKEN']);
    const logger = loggerFor(config, 'closeloop-reconcile');
    await withHubSpot(config, async (redis, http) => {
      const lines = await runReconcile(config, redis, http, logger, options.ids ? 'ids' : 'recent');
      for (const line of lines) process.stdout.write(`${line}\n`);
    });
  });

program
  .command('report')
  .description('the campaign table: aligned (coloured on a terminal), or --csv / --json')
  .option('--csv', 'CSV, one column per figure')
  .option('--json', 'JSON, as GET /api/campaigns')
  .addOption(new Option('--sort <column>', 'sort by').choices(Object.keys(SORT_KEYS)).default('leads'))
  .option('--campaign <name>', 'one campaign, by name or id')
  .option('--from <date>', 'cohort: lead dates from YYYY-MM-DD')
  .option('--to <date>', 'cohort: lead dates to YYYY-MM-DD (inclusive)')
  .action(
    async (options: {
      csv?: boolean;
      json?: boolean;
      sort: SortKey;
      campaign?: string;
      from?: string;
      to?: string;
    }) => {
      const config = configFor([]);
      await withRedis(config, async (redis) => {
        const format = options.json ? 'json' : options.csv ? 'csv' : 'table';
        const cohort = parseCohortDates(options.from, options.to);
        const text = await report(redis, config, {
          format,
          sort: options.sort,
          campaign: options.campaign,
          ...cohort,
          colour: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
        });
        process.stdout.write(`${text}\n`);
      });
    },
  );

const spend = program.command('spend').description('campaign spend, for cost per lead and per won deal');
spend
  .command('import <file>')
  .description(
    'import spend from a CSV file (campaign,from,to,amount or campaign,month,amount); all or nothing',
  )
  .action(async (file: string) => {
    const config = configFor([]);
    await withRedis(config, async (redis) => {
      process.stdout.write(`${await importSpend(redis, config.redis.prefix, file)}\n`);
    });
  });

program
  .command('demo')
  .description('everything in one process on a seeded sandbox portal, with live activity')
  .option('--once', 'backfill, a short burst of live events, print the campaign table, exit')
  .option('--port <port>', 'port of closeloop (another free one if taken)', '3000')
  .option('--sandbox-port <port>', 'port of the sandbox (another free one if taken)', '4010')
  .action(async (options: { once?: boolean; port: string; sandboxPort: string }) => {
    const demo = {
      once: Boolean(options.once),
      port: Number(options.port),
      sandboxPort: Number(options.sandboxPort),
    };
    await runDemo(demo, process.env, (line) => process.stdout.write(`${line}\n`));
    process.exit(0);
  });

addHubSpotProjectCommand(program);

addSandboxCommand(program);

await program.parseAsync(process.argv);
