import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { ConfigError } from '../../src/errors.ts';

function problemsOf(env: Record<string, string>, required: Parameters<typeof loadConfig>[1] = []): string[] {
  try {
    loadConfig(env, required);
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
  return [];
}

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig({});
    expect(config.hubspot.baseUrl).toBe('https://api.hubapi.com');
    expect(config.redis.url).toBe('redis://127.0.0.1:6379');
    expect(config.port).toBe(3000);
    expect(config.metrics).toEqual({
      campaignProperties: ['hs_analytics_first_touch_converting_campaign', 'hs_analytics_source_data_1'],
      leadDateProperty: 'createdate',
      closeHorizonDays: 180,
      pipelines: [],
      attribution: 'even',
    });
    expect(config.hubspot.requestsPer10s).toBe(100);
    expect(config.webhooks.dedupeWindowSeconds).toBe(3600);
  });

  it('parses lists and numbers, and strips a trailing slash from URLs', () => {
    const config = loadConfig({
      CAMPAIGN_PROPERTIES: ' utm_campaign , hs_analytics_source_data_1 ,',
      PIPELINES: 'default,renewals',
      CLOSE_HORIZON_DAYS: '90',
      PUBLIC_BASE_URL: 'https://closeloop.example.com/',
    });
    expect(config.metrics.campaignProperties).toEqual(['utm_campaign', 'hs_analytics_source_data_1']);
    expect(config.metrics.pipelines).toEqual(['default', 'renewals']);
    expect(config.metrics.closeHorizonDays).toBe(90);
    expect(config.publicBaseUrl).toBe('https://closeloop.example.com');
  });

  it('lists every problem at once', () => {
    const problems = problemsOf(
      {
        PORT: 'eighty',
        CLOSE_HORIZON_DAYS: '0',
        ATTRIBUTION: 'linear',
        REDIS_URL: 'localhost:6379',
        LOG_LEVEL: 'loud',
      },
      ['HUBSPOT_ACCESS_TOKEN', 'HUBSPOT_CLIENT_SECRET', 'PUBLIC_BASE_URL'],
    );
    const names = problems.map((problem) => problem.split(':')[0]);
    expect(names).toEqual(
      expect.arrayContaining([
        'PORT',
        'CLOSE_HORIZON_DAYS',
        'ATTRIBUTION',
        'REDIS_URL',
        'LOG_LEVEL',
        'HUBSPOT_ACCESS_TOKEN',
        'HUBSPOT_CLIENT_SECRET',
        'PUBLIC_BASE_URL',
      ]),
    );
  });

  it('treats an empty variable as unset', () => {
    expect(problemsOf({ HUBSPOT_ACCESS_TOKEN: '  ' }, ['HUBSPOT_ACCESS_TOKEN'])).toEqual([
      expect.stringMatching(/^HUBSPOT_ACCESS_TOKEN: required/),
    ]);
  });

  it('never echoes a secret, even an invalid one', () => {
    const secrets = {
      HUBSPOT_ACCESS_TOKEN: 'pat-na1-short',
      HUBSPOT_CLIENT_SECRET: 'abc',
      DASHBOARD_TOKEN: 'tiny-token',
    };
    let message = '';
    try {
      loadConfig({ ...secrets, PORT: 'x' });
    } catch (error) {
      message = `${(error as Error).message} ${JSON.stringify(error)}`;
    }
    expect(message).toContain('HUBSPOT_CLIENT_SECRET');
    expect(message).toContain('DASHBOARD_TOKEN');
    for (const value of Object.values(secrets)) expect(message).not.toContain(value);
  });
});
