import { campaignProperties, DEMO_CAMPAIGNS, iso, seededRandom } from './demo-portal.ts';

/** Live activity in the sandbox, as HubSpot users and tracking would cause it. */
export interface Trickle {
  step(): Promise<string>;
  /** Calls the trickle itself made to the sandbox's API (not closeloop's). */
  readonly apiCalls: number;
}

interface SandboxApi {
  readonly url: string;
  readonly token: string;
}

async function request(
  api: SandboxApi,
  method: string,
  path: string,
  body?: unknown,
): Promise<Record<string, unknown>> {
  const response = await fetch(`${api.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${api.token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`sandbox ${method} ${path} answered ${response.status}`);
  return (await response.json().catch(() => ({}))) as Record<string, unknown>;
}

/**
 * A new lead now and then (seeded through the admin endpoint, because HubSpot's analytics
 * properties are read-only to apps), deals created for recent leads and open deals closing.
 */
export function createTrickle(api: SandboxApi, now: () => number, seed = 7): Trickle {
  const random = seededRandom(seed);
  const recentLeads: string[] = [];
  const openDeals: string[] = [];
  let counter = 0;
  let apiCalls = 0;
  const call = (api: SandboxApi, method: string, path: string, body?: unknown) => {
    if (!path.startsWith('/__sandbox/')) apiCalls++;
    return request(api, method, path, body);
  };

  async function newLead(): Promise<string> {
    const campaign = DEMO_CAMPAIGNS[Math.floor(random() * DEMO_CAMPAIGNS.length)] ?? DEMO_CAMPAIGNS[0];
    if (!campaign) return 'no campaign';
    counter++;
    const properties = {
      email: `live${now()}-${counter}@example.com`,
      lifecyclestage: 'lead',
      createdate: iso(now()),
      ...campaignProperties(campaign),
    };
    const seeded = await call(api, 'POST', '/__sandbox/seed', {
      contacts: [{ properties }],
      emitWebhooks: true,
    });
    const id = (seeded.contacts as string[] | undefined)?.[0];
    if (id) recentLeads.push(id);
    return `new lead ${id} from ${campaign.name}`;
  }

  async function newDeal(contactId: string): Promise<string> {
    const deal = await call(api, 'POST', '/crm/v3/objects/deals', {
      properties: {
        dealname: `Live deal ${counter}`,
        pipeline: 'default',
        dealstage: 'qualifiedtobuy',
        amount: String(2000 + Math.round(random() * 20) * 500),
      },
    });
    const dealId = String(deal.id);
    await call(api, 'PUT', `/crm/v4/objects/contacts/${contactId}/associations/default/deals/${dealId}`);
    openDeals.push(dealId);
    return `deal ${dealId} opened for lead ${contactId}`;
  }

  async function closeDeal(dealId: string): Promise<string> {
    const stage = random() < 0.5 ? 'closedwon' : 'closedlost';
    await call(api, 'PATCH', `/crm/v3/objects/deals/${dealId}`, {
      properties: { dealstage: stage, closedate: iso(now()) },
    });
    return `deal ${dealId} ${stage === 'closedwon' ? 'won' : 'lost'}`;
  }

  return {
    get apiCalls() {
      return apiCalls;
    },
    async step() {
      const roll = random();
      if (roll < 0.25 && openDeals.length > 0)
        return closeDeal(openDeals.splice(Math.floor(random() * openDeals.length), 1)[0] as string);
      if (roll < 0.5 && recentLeads.length > 0)
        return newDeal(recentLeads.splice(Math.floor(random() * recentLeads.length), 1)[0] as string);
      return newLead();
    },
  };
}
