import { readFile } from 'node:fs/promises';
import type { Redis } from 'ioredis';
import { parseSpendCsv } from '../spend-input.ts';
import { portalKeys } from '../store/keys.ts';
import { loadPortalSettings } from '../store/portal-state.ts';
import { spendStore } from '../store/spend.ts';

/**
 * `closeloop spend import FILE.csv`: replaces the spend of every campaign the file names. All or
 * nothing: one bad row and nothing is imported (the error names each bad line).
 */
export async function importSpend(redis: Redis, prefix: string, file: string): Promise<string> {
  const portal = await loadPortalSettings(redis, prefix);
  if (!portal) throw new Error('The portal is not set up yet: run `closeloop setup` first');
  const byCampaign = parseSpendCsv(await readFile(file, 'utf8'));
  await spendStore(redis, portalKeys(prefix, portal.portalId)).replace(byCampaign);
  const rows = [...byCampaign.values()].reduce((sum, periods) => sum + periods.length, 0);
  const total = [...byCampaign.values()].flat().reduce((sum, period) => sum + period.amount, 0);
  return `imported ${rows} spend rows for ${byCampaign.size} campaigns (${total.toLocaleString('en-US')} ${portal.currency} in all)`;
}
