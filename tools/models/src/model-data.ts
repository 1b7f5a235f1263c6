/**
 * Reads model bytes out of the `@imgly/background-removal-data` npm package.
 *
 * `dist/resources.json` maps a resource path (e.g. `/models/medium`) to `{ size, chunks }`, each
 * chunk `{ hash, offsets: [start, end] }` stored as the file `dist/<hash>`. In 1.4.5 every chunk's
 * file name is the sha256 of its content, so each chunk is verified against it.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';

export const DATA_PACKAGE = '@imgly/background-removal-data';

export class ModelDataError extends Error {
  constructor(message: string) {
    super(`${message}\nThe model data package looks incomplete or corrupted: run \`npm install\` again.`);
    this.name = 'ModelDataError';
  }
}

export interface DataPackage {
  readonly root: string;
  readonly version: string;
  readonly resources: Record<string, unknown>;
}

interface Chunk {
  readonly hash: string;
  readonly start: number;
  readonly end: number;
}

/** Locates the installed data package (resolved from the repo root) and reads its index. */
export function openDataPackage(repoRoot: string): DataPackage {
  const require = createRequire(join(resolve(repoRoot), 'package.json'));
  let pkgJson: string;
  try {
    pkgJson = require.resolve(`${DATA_PACKAGE}/package.json`);
  } catch {
    throw new ModelDataError(`${DATA_PACKAGE} is not installed`);
  }
  const root = dirname(pkgJson);
  const version = String((JSON.parse(readFileSync(pkgJson, 'utf8')) as { version?: unknown }).version ?? '');
  const index = join(root, 'dist', 'resources.json');
  if (!existsSync(index)) throw new ModelDataError(`${index} is missing`);
  let resources: unknown;
  try {
    resources = JSON.parse(readFileSync(index, 'utf8'));
  } catch (e) {
    throw new ModelDataError(`${index} is not valid JSON (${(e as Error).message})`);
  }
  if (typeof resources !== 'object' || resources === null) throw new ModelDataError(`${index} is not an object`);
  return { root, version, resources: resources as Record<string, unknown> };
}

function chunksOf(pkg: DataPackage, resource: string): { size: number; chunks: Chunk[] } {
  const entry = pkg.resources[resource] as { size?: unknown; chunks?: unknown } | undefined;
  if (!entry || typeof entry.size !== 'number' || !Array.isArray(entry.chunks)) {
    throw new ModelDataError(`resources.json has no valid entry for ${resource}`);
  }
  const chunks = entry.chunks.map((c: unknown, i: number): Chunk => {
    const { hash, offsets } = (c ?? {}) as { hash?: unknown; offsets?: unknown };
    const [start, end] = Array.isArray(offsets) ? (offsets as unknown[]) : [];
    if (typeof hash !== 'string' || !/^[0-9a-f]{64}$/.test(hash) || typeof start !== 'number' || typeof end !== 'number') {
      throw new ModelDataError(`${resource}: chunk ${i} is malformed in resources.json`);
    }
    return { hash, start, end };
  });
  return { size: entry.size, chunks };
}

/** Assembles one resource in memory, verifying contiguity, every chunk's size and sha256, and the total size. */
export function assembleResource(pkg: DataPackage, resource: string): Buffer {
  const { size, chunks } = chunksOf(pkg, resource);
  const out = Buffer.allocUnsafe(size);
  let pos = 0;
  for (const [i, c] of chunks.entries()) {
    const file = join(pkg.root, 'dist', c.hash);
    if (c.start !== pos || c.end <= c.start || c.end > size) {
      throw new ModelDataError(`${resource}: chunk ${i} has offsets [${c.start}, ${c.end}], expected to start at ${pos}`);
    }
    if (!existsSync(file)) throw new ModelDataError(`${resource}: chunk file ${file} is missing`);
    const bytes = readFileSync(file);
    if (bytes.length !== c.end - c.start) {
      throw new ModelDataError(`${resource}: chunk ${c.hash} has ${bytes.length} bytes, expected ${c.end - c.start}`);
    }
    const digest = createHash('sha256').update(bytes).digest('hex');
    if (digest !== c.hash) throw new ModelDataError(`${resource}: chunk ${c.hash} has sha256 ${digest}`);
    bytes.copy(out, c.start);
    pos = c.end;
  }
  if (pos !== size) throw new ModelDataError(`${resource}: chunks cover ${pos} bytes, expected ${size}`);
  return out;
}
