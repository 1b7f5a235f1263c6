/**
 * The Figma manifest is derived from the model base the plugin is built with
 * (scripts/lib/figma-manifest.mjs): the base's origin (or origin + path) is always in
 * allowedDomains ∪ devAllowedDomains, a release refuses any base a designer's Figma could not use,
 * and the built dist/ agrees with itself (every URL baked into code.js is allowed by dist/manifest.json).
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  allowedDomainEntry,
  buildFigmaManifest,
  entryCovers,
  FigmaManifestError,
  isCovered,
  modelHostUrls,
  networkAccessFor,
  normaliseModelBase,
  releaseProblems,
  type FigmaManifestTemplate,
} from '../scripts/lib/figma-manifest.mjs';
import { ROOT } from './helpers/paths.js';

const TEMPLATE_PATH = join(ROOT, 'figma-plugin', 'manifest.template.json');
const template = JSON.parse(readFileSync(TEMPLATE_PATH, 'utf8')) as FigmaManifestTemplate;

const BASES = [
  'http://127.0.0.1:8787/',
  'http://localhost:8787',
  'http://[::1]:9000/models-root/',
  'https://models.example.com/',
  'https://models.example.com',
  'https://cdn.example.com/cutout/v2/',
  'https://cdn.example.com/cutout',
  'https://cdn.example.com:8443/x/',
  'http://192.168.1.20:8787/',
];

describe('figma manifest: derivation', () => {
  it.each(BASES)('origin(%s) is reachable: in allowedDomains ∪ devAllowedDomains, and every model-host URL is covered', (base) => {
    const { networkAccess } = buildFigmaManifest(template, { modelBase: base, release: false });
    const all = [...networkAccess.allowedDomains, ...(networkAccess.devAllowedDomains ?? [])];
    const origin = new URL(base).origin;
    expect(all.some((entry) => entry === origin || entry.startsWith(`${origin}/`))).toBe(true);
    for (const url of modelHostUrls(base)) expect(isCovered(all, url), url).toBe(true);
  });

  it('loopback, http and private bases go to devAllowedDomains only, with allowedDomains ["none"]', () => {
    for (const base of ['http://127.0.0.1:8787/', 'http://localhost:8787/', 'https://localhost:8443/', 'http://192.168.1.20:8787/', 'http://models.example.com/']) {
      const net = networkAccessFor(base);
      expect(net.allowedDomains, base).toEqual(['none']);
      expect(net.devAllowedDomains, base).toEqual([allowedDomainEntry(base)]);
    }
  });

  it('an https public base goes to allowedDomains, as its origin, or origin + path prefix (FD-66 "example.com/api/")', () => {
    expect(networkAccessFor('https://models.example.com/')).toEqual({ allowedDomains: ['https://models.example.com'] });
    expect(networkAccessFor('https://cdn.example.com/cutout')).toEqual({ allowedDomains: ['https://cdn.example.com/cutout/'] });
    expect(networkAccessFor('https://cdn.example.com:8443/x/', 'why')).toEqual({ allowedDomains: ['https://cdn.example.com:8443/x/'], reasoning: 'why' });
  });

  it('a path-prefix entry covers the files under it and nothing beside it', () => {
    const entry = 'https://cdn.example.com/cutout/';
    expect(entryCovers(entry, 'https://cdn.example.com/cutout/models/isnet-fp32-web.onnx')).toBe(true);
    expect(entryCovers(entry, 'https://cdn.example.com/cutout/cache-helper.html')).toBe(true);
    expect(entryCovers(entry, 'https://cdn.example.com/other/models/x.onnx')).toBe(false);
    expect(entryCovers(entry, 'https://cdn.example.com/cutoutx/a')).toBe(false);
    expect(entryCovers(entry, 'http://cdn.example.com/cutout/a')).toBe(false);
    expect(entryCovers(entry, 'https://cdn.example.com:444/cutout/a')).toBe(false);
  });

  it('reads entries the way a CSP source does: scheme-less is https only, wildcards need a subdomain, "none" admits nothing', () => {
    expect(entryCovers('example.com/api/', 'https://example.com/api/x')).toBe(true);
    expect(entryCovers('example.com/api/', 'http://example.com/api/x')).toBe(false);
    expect(entryCovers('*.example.com', 'https://a.example.com/x')).toBe(true);
    expect(entryCovers('*.example.com', 'https://example.com/x')).toBe(false);
    expect(entryCovers('exact-path.com/content', 'https://exact-path.com/content')).toBe(true);
    expect(entryCovers('exact-path.com/content', 'https://exact-path.com/content/x')).toBe(false);
    expect(entryCovers('none', 'https://example.com/')).toBe(false);
  });

  it('keeps everything else from the template and points main/ui at the files next to it', () => {
    const manifest = buildFigmaManifest(template, { modelBase: 'https://models.example.com/', release: true });
    expect(manifest).toMatchObject({ main: 'code.js', ui: 'ui.html', id: template['id'], menu: template['menu'], documentAccess: 'dynamic-page' });
    expect(manifest.networkAccess.reasoning).toBe(template.networkAccess?.reasoning);
  });

  it('refuses a template that lists its own domains (they would drift from the base)', () => {
    expect(() => buildFigmaManifest({ networkAccess: { allowedDomains: ['https://a.example'] } }, { modelBase: 'https://models.example.com/', release: false })).toThrow(/must not list allowedDomains/);
  });

  it('refuses bases that cannot be a model base at all, release or not', () => {
    for (const base of ['models.example.com', '/models/', 'ftp://models.example.com/', 'https://u:p@models.example.com/', 'https://models.example.com/?v=1', 'https://models.example.com/#x']) {
      expect(() => normaliseModelBase(base), base).toThrow(FigmaManifestError);
      expect(() => buildFigmaManifest(template, { modelBase: base, release: false }), base).toThrow(FigmaManifestError);
    }
    expect(normaliseModelBase('https://cdn.example.com/cutout')).toBe('https://cdn.example.com/cutout/');
  });
});

describe('figma manifest: release builds', () => {
  const refused: Array<[string, RegExp]> = [
    ['http://127.0.0.1:8787/', /not https.*loopback/s],
    ['https://localhost/', /loopback host/],
    ['https://app.localhost/', /loopback host/],
    ['https://[::1]/', /loopback address/],
    ['https://127.1.2.3/', /loopback address/],
    ['https://0.0.0.0/', /unspecified/],
    ['https://10.0.0.5/', /private network/],
    ['https://172.20.1.1/', /private network/],
    ['https://192.168.0.2/cutout/', /private network/],
    ['http://models.example.org/', /http, not https/],
    ['https://models.cutout.example/', /reserved name \(\.example\)/],
    ['https://models.test/', /reserved name/],
    ['models.example.org', /not an absolute URL/],
  ];

  it.each(refused)('refuses %s', (base, why) => {
    expect(releaseProblems(base).join('; ')).toMatch(why);
    expect(() => buildFigmaManifest(template, { modelBase: base, release: true })).toThrow(FigmaManifestError);
  });

  it('says what to do in the refusal', () => {
    expect(() => buildFigmaManifest(template, { modelBase: 'http://127.0.0.1:8787/', release: true })).toThrow(/Release build refused.*CUTOUT_MODEL_BASE=https:\/\//s);
  });

  it('accepts a public https base, with or without a path, and lists it in allowedDomains only', () => {
    for (const base of ['https://models.example.org/', 'https://cdn.example.org/cutout/v2/', 'https://172.32.0.1/']) {
      expect(releaseProblems(base), base).toEqual([]);
      const { networkAccess } = buildFigmaManifest(template, { modelBase: base, release: true });
      expect(networkAccess.devAllowedDomains).toBeUndefined();
      for (const url of modelHostUrls(base)) expect(isCovered(networkAccess.allowedDomains, url), url).toBe(true);
    }
  });
});

// The committed template has no domains; dist/ is what `npm run build` wrote.
const DIST = join(ROOT, 'figma-plugin', 'dist');
describe.skipIf(!existsSync(join(DIST, 'manifest.json')) || !existsSync(join(DIST, 'code.js')))('figma manifest: the built plugin', () => {
  it('allows every URL baked into dist/code.js, and points at the built files', () => {
    const manifest = JSON.parse(readFileSync(join(DIST, 'manifest.json'), 'utf8')) as { main: string; ui: string; networkAccess: { allowedDomains: string[]; devAllowedDomains?: string[] } };
    expect(existsSync(join(DIST, manifest.main))).toBe(true);
    expect(existsSync(join(DIST, manifest.ui))).toBe(true);
    const urls = [...readFileSync(join(DIST, 'code.js'), 'utf8').matchAll(/["'`](https?:\/\/[^"'`\s]+)["'`]/g)].map((m) => m[1] ?? '');
    expect(urls.length).toBeGreaterThan(0); // the model base
    const all = [...manifest.networkAccess.allowedDomains, ...(manifest.networkAccess.devAllowedDomains ?? [])];
    for (const url of urls) expect(isCovered(all, url), url).toBe(true);
  });
});
