/** Command-line paths → the list of image files to process (folders expand to their image files). */
import { readdir, stat } from 'node:fs/promises';
import { extname, join, parse, resolve } from 'node:path';

const IMAGE_EXTENSIONS = new Set([
  '.png', '.jpg', '.jpeg', '.jpe', '.webp', '.tif', '.tiff', '.gif', '.avif', '.heic', '.heif', '.bmp', '.svg', '.jp2',
]);

export interface InputList {
  readonly files: string[];
  /** Paths that could not be used, with why (missing, unreadable). */
  readonly problems: { path: string; message: string }[];
  /** Files inside folders that were left out because they are not images by extension. */
  readonly ignored: string[];
}

export async function collectInputs(paths: readonly string[]): Promise<InputList> {
  const files: string[] = [];
  const problems: { path: string; message: string }[] = [];
  const ignored: string[] = [];
  const seen = new Set<string>();
  const add = (p: string): void => {
    const abs = resolve(p);
    if (!seen.has(abs)) {
      seen.add(abs);
      files.push(p);
    }
  };
  for (const p of paths) {
    let st;
    try {
      st = await stat(p);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      problems.push({ path: p, message: code === 'ENOENT' ? 'no such file or folder' : `cannot read it (${code ?? 'error'})` });
      continue;
    }
    if (!st.isDirectory()) {
      add(p);
      continue;
    }
    const entries = (await readdir(p, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      if (entry.name.startsWith('.') || !entry.isFile()) continue;
      const full = join(p, entry.name);
      if (IMAGE_EXTENSIONS.has(extname(entry.name).toLowerCase())) add(full);
      else ignored.push(full);
    }
  }
  return { files, problems, ignored };
}

export function outputName(input: string): string {
  return `${parse(input).name}.png`;
}
