// `npm run docs:config`: writes the configuration table generated from `envSchema` into README.md.
import { readFile, writeFile } from 'node:fs/promises';
import { configRows, renderConfigTable, withConfigTable } from '../src/config-table.ts';

const readmeUrl = new URL('../README.md', import.meta.url);
const before = await readFile(readmeUrl, 'utf8');
const after = withConfigTable(before, renderConfigTable(configRows()));
if (after === before) {
  console.log('README.md: configuration table already up to date');
} else {
  await writeFile(readmeUrl, after);
  console.log('README.md: configuration table rewritten');
}
