/**
 * Brotli copies of the big immutable files the model server sends (ORT's .wasm, the .onnx models),
 * so a first run moves fewer bytes: the browser decodes `Content-Encoding: br` before the frame
 * verifies size and sha256, and the frame's progress counts decoded bytes against the manifest's
 * size, so nothing else changes. Measured (onnxruntime-web 1.30): the WebGPU+WASM .wasm 28.3 MB →
 * 4.6 MB (quality 9, 3 s), the WASM-only one 14.2 → 2.4 MB; the int8 model 45.7 → 39.4 MB (quality
 * 5, 1 s: higher qualities gain nothing on quantized weights).
 *
 * Copies live in `<modelsDir>/.encoded/<name>.<size>-<mtime>.br`, so a changed source is never
 * answered with an old copy, and they survive restarts. A copy is made in the background the first
 * time a file is asked for (that request gets the plain file) or when the server warms the default
 * files at start; it is written to a temporary name and renamed, so parallel servers never read half
 * a copy.
 */
import { existsSync, type Stats } from 'node:fs';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants } from 'node:zlib';

const compress = promisify(brotliCompress);
/** Which files are worth encoding, and at what brotli quality. */
const QUALITY: Readonly<Record<string, number>> = { '.wasm': 9, '.onnx': 5 };

export interface EncodedCopy {
  readonly path: string;
  readonly size: number;
  readonly encoding: 'br';
}

/** Whether the request accepts brotli (a listed `br` without `q=0`). */
export function acceptsBrotli(header: string | string[] | undefined): boolean {
  const value = Array.isArray(header) ? header.join(',') : (header ?? '');
  return value.split(',').some((part) => {
    const [token, ...params] = part.trim().split(';');
    return token?.trim().toLowerCase() === 'br' && !params.some((p) => /^\s*q\s*=\s*0(\.0*)?\s*$/.test(p));
  });
}

export class EncodedCopies {
  private readonly pending = new Map<string, Promise<void>>();

  constructor(
    private readonly dir: string,
    private readonly log: (message: string) => void = (m) => console.warn(`[model-server] ${m}`),
  ) {}

  static encodes(file: string): boolean {
    return QUALITY[extname(file).toLowerCase()] !== undefined;
  }

  private copyPath(file: string, info: Stats): string {
    return join(this.dir, `${basename(file)}.${info.size}-${Math.floor(info.mtimeMs)}.br`);
  }

  /** The copy when it is ready; otherwise null, and one is started in the background. */
  async find(file: string, info: Stats): Promise<EncodedCopy | null> {
    if (!EncodedCopies.encodes(file)) return null;
    const path = this.copyPath(file, info);
    const found = await stat(path).catch(() => null);
    if (found?.isFile()) return { path, size: found.size, encoding: 'br' };
    void this.make(file, info);
    return null;
  }

  /** Makes the copy of each existing file (once); resolves when all are on disk. */
  async warm(files: readonly string[]): Promise<void> {
    await Promise.all(
      files.filter((f) => existsSync(f) && EncodedCopies.encodes(f)).map(async (f) => this.make(f, await stat(f))),
    );
  }

  private make(file: string, info: Stats): Promise<void> {
    const path = this.copyPath(file, info);
    let job = this.pending.get(path);
    if (!job) {
      job = (async () => {
        if (existsSync(path)) return;
        const quality = QUALITY[extname(file).toLowerCase()] ?? 5;
        const bytes = await readFile(file);
        const encoded = await compress(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: quality, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } });
        await mkdir(this.dir, { recursive: true });
        const temp = `${path}.${process.pid}.${Date.now()}.tmp`;
        await writeFile(temp, encoded);
        await rename(temp, path);
      })().catch((e: unknown) => this.log(`no brotli copy of ${file} (${e instanceof Error ? e.message : String(e)}); serving it plain`));
      this.pending.set(path, job);
    }
    return job;
  }
}
