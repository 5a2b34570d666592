import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// The Docker image runs the compiled JavaScript, not the TypeScript the other tests run.
describe('npm run build', () => {
  const outDir = mkdtempSync(join(tmpdir(), 'closeloop-build-'));
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it('emits a CLI that runs on plain Node', () => {
    execFileSync(
      process.execPath,
      ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json', '--outDir', outDir],
      {
        stdio: 'pipe',
      },
    );
    const help = execFileSync(process.execPath, [join(outDir, 'src/cli.js'), '--help'], { encoding: 'utf8' });
    for (const verb of ['serve', 'work', 'setup', 'backfill', 'demo', 'sandbox'])
      expect(help).toContain(verb);
  }, 60_000);
});
