export type PipelineStage = {
  id: string;
  label: string;
  displayOrder: number;
  probability: string;
  isClosed: boolean;
};

export type Pipeline = { id: string; label: string; displayOrder: number; stages: PipelineStage[] };

const stage = (id: string, label: string, displayOrder: number, probability: string, isClosed = false) => ({
  id,
  label,
  displayOrder,
  probability,
  isClosed,
});

/** The default "Sales Pipeline" every portal gets, plus a custom one (custom ids are numeric). */
export const DEAL_PIPELINES: Pipeline[] = [
  {
    id: 'default',
    label: 'Sales Pipeline',
    displayOrder: 0,
    stages: [
      stage('appointmentscheduled', 'Appointment Scheduled', 0, '0.2'),
      stage('qualifiedtobuy', 'Qualified To Buy', 1, '0.4'),
      stage('presentationscheduled', 'Presentation Scheduled', 2, '0.6'),
      stage('decisionmakerboughtin', 'Decision Maker Bought-In', 3, '0.8'),
      stage('contractsent', 'Contract Sent', 4, '0.9'),
      stage('closedwon', 'Closed Won', 5, '1.0', true),
      stage('closedlost', 'Closed Lost', 6, '0.0', true),
    ],
  },
  {
    id: '781236450',
    label: 'Renewals',
    displayOrder: 1,
    stages: [
      stage('781236451', 'Renewal Due', 0, '0.5'),
      stage('781236452', 'Renewal Negotiation', 1, '0.7'),
      stage('781236453', 'Renewed', 2, '1.0', true),
      stage('781236454', 'Churned', 3, '0.0', true),
    ],
  },
];

export const DEFAULT_PIPELINE_ID = 'default';

/** Fixed so responses are stable across runs. */
export const PIPELINES_CREATED_AT = Date.UTC(2019, 9, 30, 3, 30, 17, 883);

export function findPipeline(id: string): Pipeline | undefined {
  return DEAL_PIPELINES.find((p) => p.id === id);
}

export function findStage(stageId: string): { pipeline: Pipeline; stage: PipelineStage } | undefined {
  for (const pipeline of DEAL_PIPELINES) {
    const found = pipeline.stages.find((s) => s.id === stageId);
    if (found) return { pipeline, stage: found };
  }
  return undefined;
}

export type ClosedFlags = { closed: boolean; won: boolean; lost: boolean };

/** Won/lost come from the stage's metadata, like HubSpot: closed with probability 1 or 0. */
export function closedFlags(stageId: string | undefined): ClosedFlags {
  const found = stageId === undefined ? undefined : findStage(stageId);
  if (!found?.stage.isClosed) return { closed: false, won: false, lost: false };
  const probability = Number(found.stage.probability);
  return { closed: true, won: probability === 1, lost: probability === 0 };
}

export function pipelineToJson(pipeline: Pipeline): Record<string, unknown> {
  const at = new Date(PIPELINES_CREATED_AT).toISOString();
  return {
    id: pipeline.id,
    label: pipeline.label,
    displayOrder: pipeline.displayOrder,
    archived: false,
    createdAt: at,
    updatedAt: at,
    stages: pipeline.stages.map(stageToJson),
  };
}

export function stageToJson(s: PipelineStage): Record<string, unknown> {
  const at = new Date(PIPELINES_CREATED_AT).toISOString();
  return {
    id: s.id,
    label: s.label,
    displayOrder: s.displayOrder,
    metadata: { isClosed: String(s.isClosed), probability: s.probability },
    archived: false,
    createdAt: at,
    updatedAt: at,
    writePermissions: 'CRM_PERMISSIONS_ENFORCEMENT',
  };
}
