/** The built Canva app: one app.js within Canva's 5 MB, and a manifest with only the permissions it uses. */
import { describe, expect, it } from 'vitest';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './helpers/paths.js';
import { need } from './helpers/require.js';

const APP = join(ROOT, 'canva-app', 'dist', 'app.js');

describe.skipIf(!need({ built: [APP] }))('Canva app build', () => {
  it('app.js is at most 5 MB and has no eval (new Function) in it', () => {
    const size = statSync(APP).size;
    console.log(`canva-app/dist/app.js: ${(size / 1e6).toFixed(2)} MB`);
    expect(size).toBeLessThanOrEqual(5 * 1024 * 1024);
    expect(readFileSync(APP, 'utf8')).not.toMatch(/\bnew Function\(/);
  });
});

describe('Canva app manifest', () => {
  it('asks for the minimum permissions and enrolls the design editor intent', () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'canva-app', 'canva-app.json'), 'utf8'));
    expect(manifest.intent).toEqual({ design_editor: { enrolled: true } });
    expect(manifest.runtime.permissions.map((p: { name: string }) => p.name).sort()).toEqual([
      'canva:asset:private:read',
      'canva:asset:private:write',
      'canva:design:content:read',
      'canva:design:content:write',
    ]);
  });
});
