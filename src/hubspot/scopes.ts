/**
 * The scopes closeloop's HubSpot app asks for, each with the reason an admin reads before
 * installing it. The app's `app-hsmeta.json` is generated from these lists, and a check of an
 * installed app compares its token's scopes with them.
 */

export interface ScopeNeed {
  readonly scope: string;
  readonly why: string;
}

export const REQUIRED_SCOPES: readonly ScopeNeed[] = [
  {
    scope: 'crm.objects.contacts.read',
    why: 'read contacts: campaign, lead date, lifecycle stage and its entry dates, deal associations',
  },
  {
    scope: 'crm.objects.contacts.write',
    why: "write the lead's score, grade, reason and campaign close rate onto contacts",
  },
  {
    scope: 'crm.objects.deals.read',
    why: 'read deals: pipeline, stage, amount, dates, won or lost, contact associations',
  },
  {
    scope: 'crm.objects.deals.write',
    why: 'write the campaign, its close rate and alignment index onto deals',
  },
  {
    scope: 'crm.schemas.contacts.write',
    why: 'setup creates the closeloop property group and contact properties',
  },
  {
    scope: 'crm.schemas.deals.write',
    why: 'setup creates the closeloop property group and deal properties',
  },
];

/** Granted only where the portal has the Campaigns API (Marketing Hub Professional and up). */
export const OPTIONAL_SCOPES: readonly ScopeNeed[] = [
  {
    scope: 'marketing.campaigns.read',
    why: 'show HubSpot campaign names instead of ids, and use the spend recorded in HubSpot',
  },
  {
    scope: 'marketing.campaigns.revenue.read',
    why: "HubSpot's own revenue attribution per campaign, to reconcile closeloop's figures against",
  },
];
