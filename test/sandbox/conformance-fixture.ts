import type { RunningSandbox } from '../../src/sandbox/start-sandbox.ts';
import { type SpecName, schemaProblems } from './openapi-validator.ts';
import { type CallResult, client, seed, startTestSandbox } from './sandbox-test-helpers.ts';

/** title, OpenAPI file, method and path as documented there, expected status, the call. */
export type Case = [
  title: string,
  spec: SpecName,
  method: string,
  specPath: string,
  status: number,
  run: () => Promise<CallResult>,
];

export type Fixture = {
  sandbox: RunningSandbox;
  call: ReturnType<typeof client>;
  contact: (i: number) => string;
  deal: (i: number) => string;
};

/** A sandbox with six contacts and four deals to aim the calls at. */
export async function startFixture(): Promise<Fixture> {
  const sandbox = await startTestSandbox();
  const ids = await seed(sandbox, {
    contacts: Array.from({ length: 6 }, (_, i) => ({
      properties: { email: `c${i}@example.com`, lifecyclestage: 'lead' },
    })),
    deals: Array.from({ length: 4 }, (_, i) => ({
      properties: { dealname: `Deal ${i}`, amount: '100', dealstage: 'qualifiedtobuy' },
    })),
  });
  return {
    sandbox,
    call: client(sandbox),
    contact: (i) => ids.contacts[i] as string,
    deal: (i) => ids.deals[i] as string,
  };
}

/** Runs the cases in order; returns every status mismatch and schema problem. */
export async function failuresOf(cases: Case[]): Promise<string[]> {
  const failures: string[] = [];
  for (const [title, spec, method, specPath, status, run] of cases) {
    const result = await run();
    if (result.status !== status) {
      failures.push(`${title}: status ${result.status}, wanted ${status}: ${JSON.stringify(result.body)}`);
    } else {
      for (const p of schemaProblems(spec, method, specPath, status, result.body))
        failures.push(`${title}: ${p}`);
    }
  }
  return failures;
}
