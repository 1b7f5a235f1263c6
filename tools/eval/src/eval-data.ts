/**
 * Lists and loads the research-only evaluation sets described in ../shared/eval/README.md.
 *
 * The data lives OUTSIDE the repository (default `../shared/eval` relative to the repo root) and
 * is never copied into it. Every function here degrades gracefully when the folder is absent:
 * `resolveEvalDir` returns null and the listing functions return empty arrays.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { bytesToAlpha } from './metrics.js';

export type EvalSetName = 'alphamatting' | 'grabcut';
export const EVAL_SETS: readonly EvalSetName[] = ['alphamatting', 'grabcut'];

/** Repository root (scripts/lib/ → ../..). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
/** Default location of the eval data: `../shared/eval` relative to the repo root. */
export const DEFAULT_EVAL_DIR = path.resolve(REPO_ROOT, '..', 'shared', 'eval');

export interface AlphaMattingItem {
  set: 'alphamatting';
  /** e.g. "GT01" */
  name: string;
  imagePath: string;
  alphaPath: string;
  trimap1Path: string;
  trimap2Path: string;
}

export interface GrabCutItem {
  set: 'grabcut';
  /** file name without extension, e.g. "banana1" */
  name: string;
  imagePath: string;
  maskPath: string;
}

export type EvalItem = AlphaMattingItem | GrabCutItem;

export interface AlphaMap {
  data: Float32Array;
  width: number;
  height: number;
}

export interface ByteChannel {
  data: Uint8Array;
  width: number;
  height: number;
}

export interface AlphaMattingGroundTruth {
  alpha: Float32Array;
  trimap1: Uint8Array;
  trimap2: Uint8Array;
  width: number;
  height: number;
}

export interface GrabCutGroundTruth {
  mask: Uint8Array;
  width: number;
  height: number;
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Absolute path of the eval data folder, or null when it does not exist.
 * A relative `dir` is resolved against the current working directory; no argument means
 * `../shared/eval` relative to the repository root.
 */
export function resolveEvalDir(dir?: string): string | null {
  const abs = dir === undefined ? DEFAULT_EVAL_DIR : path.resolve(dir);
  return isDir(abs) ? abs : null;
}

/** True when the eval data folder exists. */
export function hasEvalData(dir?: string): boolean {
  return resolveEvalDir(dir) !== null;
}

function pngNames(folder: string): string[] {
  if (!isDir(folder)) return [];
  return readdirSync(folder)
    .filter((f) => f.toLowerCase().endsWith('.png'))
    .map((f) => f.slice(0, -4))
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}

/** Alphamatting items that have an image, an alpha and both trimaps; [] when the data is absent. */
export function listAlphaMatting(dir?: string): AlphaMattingItem[] {
  const root = resolveEvalDir(dir);
  if (root === null) return [];
  const base = path.join(root, 'alphamatting');
  const items: AlphaMattingItem[] = [];
  for (const name of pngNames(path.join(base, 'image'))) {
    const item: AlphaMattingItem = {
      set: 'alphamatting',
      name,
      imagePath: path.join(base, 'image', `${name}.png`),
      alphaPath: path.join(base, 'alpha', `${name}.png`),
      trimap1Path: path.join(base, 'trimap1', `${name}.png`),
      trimap2Path: path.join(base, 'trimap2', `${name}.png`),
    };
    if (existsSync(item.alphaPath) && existsSync(item.trimap1Path) && existsSync(item.trimap2Path)) items.push(item);
  }
  return items;
}

/** GrabCut items that have an image and a mask; [] when the data is absent. */
export function listGrabCut(dir?: string): GrabCutItem[] {
  const root = resolveEvalDir(dir);
  if (root === null) return [];
  const base = path.join(root, 'grabcut');
  const items: GrabCutItem[] = [];
  for (const name of pngNames(path.join(base, 'image'))) {
    const item: GrabCutItem = {
      set: 'grabcut',
      name,
      imagePath: path.join(base, 'image', `${name}.png`),
      maskPath: path.join(base, 'mask', `${name}.png`),
    };
    if (existsSync(item.maskPath)) items.push(item);
  }
  return items;
}

/** Items of one set, in a stable order. */
export function listSet(set: 'alphamatting', dir?: string): AlphaMattingItem[];
export function listSet(set: 'grabcut', dir?: string): GrabCutItem[];
export function listSet(set: EvalSetName, dir?: string): EvalItem[];
export function listSet(set: EvalSetName, dir?: string): EvalItem[] {
  return set === 'alphamatting' ? listAlphaMatting(dir) : listGrabCut(dir);
}

/** Reads the first channel of an 8-bit image as raw bytes (R of RGB, or the grey channel). */
export async function loadChannel(file: string): Promise<ByteChannel> {
  const { data, info } = await sharp(file).extractChannel(0).raw({ depth: 'uchar' }).toBuffer({
    resolveWithObject: true,
  });
  if (info.channels !== 1 || data.length !== info.width * info.height) {
    throw new Error(`${file}: expected one 8-bit channel, got ${info.channels} channels / ${data.length} bytes`);
  }
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
}

/** Reads a ground-truth alpha (one channel) as [0,1] floats. */
export async function loadAlpha(file: string): Promise<AlphaMap> {
  const ch = await loadChannel(file);
  return { data: bytesToAlpha(ch.data), width: ch.width, height: ch.height };
}

/** Size of an image file without decoding its pixels. */
export async function imageSize(file: string): Promise<{ width: number; height: number }> {
  const m = await sharp(file).metadata();
  if (m.width === undefined || m.height === undefined) throw new Error(`${file}: unknown size`);
  return { width: m.width, height: m.height };
}

function sameSize(file: string, a: { width: number; height: number }, b: { width: number; height: number }): void {
  if (a.width !== b.width || a.height !== b.height) {
    throw new Error(`${file}: size ${b.width}×${b.height} differs from ${a.width}×${a.height}`);
  }
}

export async function loadAlphaMattingGroundTruth(item: AlphaMattingItem): Promise<AlphaMattingGroundTruth> {
  const [alpha, t1, t2] = await Promise.all([
    loadAlpha(item.alphaPath),
    loadChannel(item.trimap1Path),
    loadChannel(item.trimap2Path),
  ]);
  sameSize(item.trimap1Path, alpha, t1);
  sameSize(item.trimap2Path, alpha, t2);
  return { alpha: alpha.data, trimap1: t1.data, trimap2: t2.data, width: alpha.width, height: alpha.height };
}

export async function loadGrabCutGroundTruth(item: GrabCutItem): Promise<GrabCutGroundTruth> {
  const m = await loadChannel(item.maskPath);
  return { mask: m.data, width: m.width, height: m.height };
}
