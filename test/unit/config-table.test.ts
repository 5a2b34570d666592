import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { envSchema } from '../../src/config.ts';
import {
  CONFIG_TABLE_END,
  CONFIG_TABLE_START,
  configRows,
  currentConfigTable,
  renderConfigTable,
  withConfigTable,
} from '../../src/config-table.ts';

const readme = () => readFile(new URL('../../README.md', import.meta.url), 'utf8');

describe('the configuration table', () => {
  it('has a description for every variable of the schema', () => {
    const missing = Object.entries(envSchema.shape)
      .filter(([, field]) => {
        const description = (field as z.ZodType).meta()?.description;
        return typeof description !== 'string' || description.trim() === '';
      })
      .map(([name]) => name);
    expect(missing).toEqual([]);
    expect(configRows().map((row) => row.name)).toEqual(Object.keys(envSchema.shape));
  });

  it('reads defaults from the schema in their environment form, with labels and dashes', () => {
    const rows = new Map(configRows().map((row) => [row.name, row.defaultText]));
    expect(rows.get('PORT')).toBe('`3000`');
    expect(rows.get('WORK_PORT')).toBe('`3001`');
    expect(rows.get('HUBSPOT_BASE_URL')).toBe('`https://api.hubapi.com`');
    expect(rows.get('CAMPAIGN_PROPERTIES')).toBe(
      '`hs_analytics_first_touch_converting_campaign,hs_analytics_source_data_1`',
    );
    expect(rows.get('WEBHOOK_LEGACY_SIGNATURES')).toBe('`false`');
    expect(rows.get('PIPELINES')).toBe('all');
    expect(rows.get('HUBSPOT_ACCESS_TOKEN')).toBe('—');
    expect(rows.get('DASHBOARD_TOKEN')).toBe('—');
  });

  it('refuses a schema with an undescribed variable', () => {
    const schema = z.object({ DESCRIBED: z.string().meta({ description: 'yes' }), BARE: z.string() });
    expect(() => configRows(schema)).toThrow(/BARE/);
  });

  it('escapes pipes so a description cannot break the table', () => {
    const table = renderConfigTable([{ name: 'A', defaultText: '`x|y`', description: 'one | two' }]);
    expect(table.trimEnd().split('\n')).toEqual([
      '| variable | default | meaning |',
      '|---|---|---|',
      '| `A` | `x\\|y` | one \\| two |',
    ]);
  });

  it('replaces only what lies between the markers', () => {
    const before = `# t\n\n${CONFIG_TABLE_START}\nold\n${CONFIG_TABLE_END}\n\n## next\n`;
    const after = withConfigTable(before, '| new |\n');
    expect(after).toBe(`# t\n\n${CONFIG_TABLE_START}\n| new |\n${CONFIG_TABLE_END}\n\n## next\n`);
    expect(withConfigTable(after, '| new |\n')).toBe(after);
    expect(() => withConfigTable('# no markers\n', '| new |\n')).toThrow(/config:start/);
  });

  it('is what the README shows', async () => {
    expect(
      currentConfigTable(await readme()),
      "README.md's configuration table differs from the schema in src/config.ts: run `npm run docs:config`",
    ).toBe(renderConfigTable(configRows()));
  });
});
