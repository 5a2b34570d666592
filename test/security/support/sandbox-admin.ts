import type { RunningSandbox } from '../../../src/sandbox/start-sandbox.ts';
import { portalRecords } from '../../support/work-portal.ts';

/** A call to the sandbox's admin routes (seed, config), which must succeed. */
export async function admin(sandbox: RunningSandbox, path: string, body: unknown): Promise<void> {
  const response = await fetch(`${sandbox.url}${path}`, { method: 'POST', body: JSON.stringify(body) });
  if (response.status !== 200) throw new Error(`${path} → ${response.status} ${await response.text()}`);
}

/** Three new leads from `from` on, each announced by a webhook, so that work calls HubSpot for them. */
export function newLeads(from: number) {
  const contacts = portalRecords()
    .contacts.slice(0, 3)
    .map((contact, i) => ({
      id: String(from + i),
      properties: { ...contact.properties, email: `lead${from + i}@example.com` },
    }));
  return { emitWebhooks: true, contacts };
}
