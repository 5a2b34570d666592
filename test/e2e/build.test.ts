import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// The Docker image runs the compiled JavaScript, not the TypeScript the other tests run.
describe('npm run build', () => {
  // Inside the project, so the compiled files resolve the project's node_modules as in the image.
  mkdirSync('.cache', { recursive: true });
  const outDir = mkdtempSync(join('.cache', 'build-'));
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
