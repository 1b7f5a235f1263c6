/// <reference types="@figma/plugin-typings" />
/**
 * Paint normalisation, as reading `fills` back from Figma gives fully populated paints.
 * Documented defaults (https://developers.figma.com/docs/plugins/api/Paint, FT L4754-4774):
 * `visible: true`, `opacity: 1`, `blendMode: 'NORMAL'`; ImagePaint `filters` "All values default to
 * 0.0" (FT L4833). Not documented, taken from third-party dumps of real Figma fills (e.g. plugin
 * test fixtures that print `node.fills`): non-CROP image paints read back with `imageTransform`
 * identity, `scalingFactor: 0.5` and `rotation: 0`; CROP paints with `scalingFactor: 0.5` and no
 * `rotation` ("automatic for CROP", FT L4825-4829). Adding them is the stricter choice: code that
 * tests a field for `undefined` or compares paints it built itself with what it reads back fails.
 */
import { copyMatrix, IDENTITY } from './fake-math.js';

const FILTER_KEYS = ['exposure', 'contrast', 'saturation', 'temperature', 'tint', 'highlights', 'shadows'] as const;
const PAINT_TYPES = new Set(['SOLID', 'GRADIENT_LINEAR', 'GRADIENT_RADIAL', 'GRADIENT_ANGULAR', 'GRADIENT_DIAMOND', 'IMAGE', 'VIDEO', 'PATTERN', 'SHADER']);
const SCALE_MODES = new Set(['FILL', 'FIT', 'CROP', 'TILE']);

function freezeDeep<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as object)) freezeDeep(v);
  }
  return value;
}

/**
 * Validates and normalises a paint list for the fills/strokes setters. `knownImage` decides whether
 * an IMAGE paint's hash exists. An unknown hash is undocumented; the fake throws (least forgiving:
 * a plugin that writes a hash it never created, or one dropped on reload, is caught).
 */
export function normalisePaints(value: unknown, knownImage: (hash: string) => boolean, what = 'fills'): ReadonlyArray<Paint> {
  if (!Array.isArray(value)) throw new Error(`${what} must be an array of paints`);
  const out: Paint[] = [];
  for (const raw of value as unknown[]) {
    if (!raw || typeof raw !== 'object') throw new Error(`${what}: a paint must be an object`);
    const p = raw as Record<string, unknown>;
    if (typeof p['type'] !== 'string' || !PAINT_TYPES.has(p['type'])) throw new Error(`${what}: unknown paint type ${String(p['type'])}`);
    const opacity = p['opacity'] ?? 1;
    if (typeof opacity !== 'number' || opacity < 0 || opacity > 1) throw new Error(`${what}: opacity must be between 0 and 1 (FT L4758)`);
    const base = { ...structuredClone(p), visible: p['visible'] ?? true, opacity, blendMode: p['blendMode'] ?? 'NORMAL' };
    if (p['type'] === 'IMAGE') out.push(normaliseImage(base, knownImage, what));
    else out.push(base as unknown as Paint);
  }
  return freezeDeep(out);
}

function normaliseImage(p: Record<string, unknown>, knownImage: (hash: string) => boolean, what: string): ImagePaint {
  const mode = p['scaleMode'];
  if (typeof mode !== 'string' || !SCALE_MODES.has(mode)) throw new Error(`${what}: ImagePaint.scaleMode must be FILL, FIT, CROP or TILE (FT L4815)`);
  const hash = p['imageHash'] ?? null;
  if (hash !== null && (typeof hash !== 'string' || !knownImage(hash))) throw new Error(`${what}: there is no image with hash ${String(hash)}`);
  const rotation = p['rotation'] ?? 0;
  if (typeof rotation !== 'number' || rotation % 90 !== 0) throw new Error(`${what}: ImagePaint.rotation must be in increments of +90 (FT L4829)`);
  const filters: Record<string, number> = {};
  const given = (p['filters'] ?? {}) as Record<string, unknown>;
  for (const k of FILTER_KEYS) {
    const v = given[k] ?? 0;
    if (typeof v !== 'number' || v < -1 || v > 1) throw new Error(`${what}: filter ${k} must be in -1..1 (FT L4833)`);
    filters[k] = v;
  }
  const t = p['imageTransform'] as Transform | undefined;
  const out: Record<string, unknown> = {
    ...p,
    imageHash: hash,
    imageTransform: t ? copyMatrix(t) : IDENTITY,
    scalingFactor: p['scalingFactor'] ?? 0.5,
    filters,
  };
  if (mode === 'CROP') delete out['rotation'];
  else out['rotation'] = rotation;
  return out as unknown as ImagePaint;
}

/** Image hashes a paint list references (visible or not). */
export function imageHashes(paints: ReadonlyArray<Paint>): string[] {
  return paints.flatMap((p) => (p.type === 'IMAGE' && p.imageHash ? [p.imageHash] : []));
}

export function freezeEffects(value: unknown): ReadonlyArray<Effect> {
  if (!Array.isArray(value)) throw new Error('effects must be an array');
  return freezeDeep(structuredClone(value) as Effect[]);
}
