import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

import { PERMITTED_FETCH_URL } from '../lib/config';

// The project files HubSpot reads, checked against what the card's code expects.

const srcDir = fileURLToPath(new URL('../../../', import.meta.url));
const readJson = (path: string) => JSON.parse(readFileSync(`${srcDir}${path}`, 'utf8'));

describe('closeloop-card-hsmeta.json', () => {
  const card = readJson('app/cards/closeloop-card-hsmeta.json');

  it('declares a sidebar card on contact and deal records', () => {
    expect(card.type).toBe('card');
    expect(card.config.location).toBe('crm.record.sidebar');
    expect(card.config.objectTypes).toEqual(['contacts', 'deals']);
  });

  it('points at an entry point that exists', () => {
    expect(card.config.entrypoint).toBe('/app/cards/CloseloopCard.tsx');
    expect(existsSync(`${srcDir}${card.config.entrypoint.slice(1)}`)).toBe(true);
  });
});

describe('app-hsmeta.json', () => {
  it('lets hubspot.fetch reach the configured closeloop base URL', () => {
    const app = readJson('app/app-hsmeta.json');
    expect(app.config.permittedUrls.fetch).toContain(PERMITTED_FETCH_URL);
  });
});
