/**
 * A static server for the prepared models and onnxruntime-web's .wasm/.mjs, with the headers a real
 * model host needs for a null-origin frame (Figma's UI iframe): CORS `*` on every response (errors
 * too), preflight answers, `application/wasm` for streaming compilation, long-lived immutable
 * caching for content-addressed files, no-cache for manifests, strong ETag/304, single byte ranges.
 * Also serves test pages and fixtures (staticDirs). Files are streamed, never read whole.
 *
 *   /models/<file>        modelsDir: only existing *.json and *.onnx, flat, no listing
 *   /ort/<file>           onnxruntime-web's dist: only ort-wasm-*.wasm and ort-wasm-*.mjs
 *   /cache-helper.html    the built cache helper page (packages/frame/dist/model-host/), which
 *                         null-origin frames embed to keep the model between runs
 *   <prefix><path>        staticDirs[prefix]: any file below the directory
 */
import { createReadStream, existsSync, type ReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface ModelServerRequestInfo {
  readonly method: string;
  readonly url: string;
  readonly origin?: string;
  readonly status: number;
}

export interface ModelServerOptions {
  /** 0 = an ephemeral port; default 8787. */
  readonly port?: number;
  /** Default '127.0.0.1'. */
  readonly host?: string;
  readonly modelsDir: string;
  /** onnxruntime-web's dist directory; default: resolved from shared-core (see defaultOrtDir). */
  readonly ortDir?: string;
  /** URL prefix ('/frame/') → directory, for pages and test fixtures. */
  readonly staticDirs?: Readonly<Record<string, string>>;
  /** Called once per request, when its status is decided (before the body is sent). */
  readonly onRequest?: (info: ModelServerRequestInfo) => void;
  /** Delay before each response (tests of progress and cancel). */
  readonly latencyMs?: number;
  /** The page served at /cache-helper.html; default the built one (404 until `npm run build`); null: none. */
  readonly cacheHelper?: string | null;
  /** Keep every request in `ModelServer.requests` (tests count what reached the server). */
  readonly recordRequests?: boolean;
}

export interface ModelServer {
  /** Base URL ending in '/', e.g. http://127.0.0.1:8787/ */
  readonly url: string;
  /** The ORT directory served under /ort/ (null when onnxruntime-web was not found). */
  readonly ortDir: string | null;
  /** Every request with its decided status, in arrival order (empty unless `recordRequests`). */
  readonly requests: readonly ModelServerRequestInfo[];
  /** GET requests whose path (query ignored) is `path`, e.g. '/models/isnet-fp32-web.onnx'. */
  countGets(path: string): number;
  close(): Promise<void>;
}

const TYPES: Readonly<Record<string, string>> = {
  '.wasm': 'application/wasm',
  '.mjs': 'text/javascript; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.onnx': 'application/octet-stream',
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
};
const IMMUTABLE = 'public, max-age=31536000, immutable';
const ORT_PROBE = 'ort-wasm-simd-threaded.jsep.wasm';
const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DEFAULT_CACHE_HELPER = join(REPO_ROOT, 'packages', 'frame', 'dist', 'model-host', 'cache-helper.html');

/** onnxruntime-web's dist directory: as shared-core resolves it, else the usual node_modules places. */
export function defaultOrtDir(root: string = REPO_ROOT): string {
  try {
    const require = createRequire(join(root, 'shared-core', 'package.json'));
    return dirname(require.resolve(`onnxruntime-web/${ORT_PROBE}`));
  } catch {
    for (const dir of [join(root, 'shared-core', 'node_modules', 'onnxruntime-web', 'dist'), join(root, 'node_modules', 'onnxruntime-web', 'dist')]) {
      if (existsSync(join(dir, ORT_PROBE))) return dir;
    }
  }
  throw new Error(`onnxruntime-web not found (looked for ${ORT_PROBE} from ${join(root, 'shared-core')}); run npm install`);
}

interface Mount {
  /** A directory prefix ending in '/', or one exact path (`file` set). */
  readonly prefix: string;
  readonly dir: string;
  readonly file?: string;
  /** Flat mounts allow one path segment matching `name`; others any path below dir. */
  readonly name?: RegExp;
  readonly cache: (file: string) => string;
}

class HttpError extends Error {
  constructor(readonly status: number) {
    super(String(status));
  }
}

/** The file a request path maps to; throws HttpError(400) for traversal, (404) for anything not served. */
function mapPath(rawPath: string, mounts: readonly Mount[]): { file: string; cache: string } {
  if (!rawPath.startsWith('/')) throw new HttpError(400);
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    throw new HttpError(400);
  }
  if (decoded.includes('\0') || decoded.includes('\\') || rawPath.includes('\\')) throw new HttpError(400);
  if (decoded.split('/').some((part) => part === '..' || part === '.')) throw new HttpError(400);
  for (const mount of mounts) {
    if (mount.file !== undefined) {
      if (decoded === mount.prefix) return { file: mount.file, cache: mount.cache(mount.file) };
      continue;
    }
    if (!decoded.startsWith(mount.prefix)) continue;
    const parts = decoded.slice(mount.prefix.length).split('/');
    if (parts.some((part) => part === '')) throw new HttpError(404); // directories, '//'
    if (mount.name && (parts.length !== 1 || !mount.name.test(parts[0] ?? ''))) throw new HttpError(404);
    const base = resolve(mount.dir);
    const file = resolve(base, ...parts);
    if (!file.startsWith(base + sep)) throw new HttpError(400);
    return { file, cache: mount.cache(file) };
  }
  throw new HttpError(404);
}

/** If-None-Match matches (weak comparison, '*' or a list). */
function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  const strip = (t: string): string => t.trim().replace(/^W\//, '');
  return header.split(',').some((t) => strip(t) === etag);
}

type RangeResult = { readonly start: number; readonly end: number } | 'unsatisfiable' | null;

/** A single `bytes=a-b` / `bytes=a-` / `bytes=-n` range; null (serve whole) when absent or not a single byte range. */
function parseRange(header: string | undefined, size: number): RangeResult {
  if (!header) return null;
  const m = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/.exec(header);
  if (!m || (m[1] === '' && m[2] === '')) return null;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (m[2] !== '' && Number(m[2]) < start) return null; // invalid range: ignored (RFC 9110 §14.1.1)
  if (start >= size) return 'unsatisfiable';
  return { start, end };
}

function openStream(file: string, start: number, end: number): Promise<ReadStream> {
  return new Promise((ok, fail) => {
    const stream = createReadStream(file, { start, end });
    stream.once('open', () => ok(stream));
    stream.once('error', fail);
  });
}

export async function startModelServer(options: ModelServerOptions): Promise<ModelServer> {
  let ortDir: string | null = options.ortDir ?? null;
  if (ortDir === null) {
    try {
      ortDir = defaultOrtDir();
    } catch {
      ortDir = null;
    }
  }
  const mounts: Mount[] = [
    { prefix: '/models/', dir: options.modelsDir, name: /^[A-Za-z0-9][\w.-]*\.(json|onnx)$/, cache: (f) => (extname(f) === '.onnx' ? IMMUTABLE : 'no-cache') },
    ...(ortDir !== null ? [{ prefix: '/ort/', dir: ortDir, name: /^ort-wasm-[\w.-]+\.(wasm|mjs)$/, cache: () => IMMUTABLE }] : []),
    ...Object.entries(options.staticDirs ?? {}).map(([prefix, dir]): Mount => ({
      prefix: `${prefix.startsWith('/') ? '' : '/'}${prefix}${prefix.endsWith('/') ? '' : '/'}`,
      dir,
      cache: () => 'no-cache',
    })),
  ];
  const cacheHelper = options.cacheHelper === undefined ? DEFAULT_CACHE_HELPER : options.cacheHelper;
  // The helper page may change with each frame release: revalidated, never cached for long.
  if (cacheHelper !== null) mounts.push({ prefix: '/cache-helper.html', dir: dirname(cacheHelper), file: cacheHelper, cache: () => 'no-cache' });
  mounts.sort((a, b) => b.prefix.length - a.prefix.length); // most specific first
  const requests: ModelServerRequestInfo[] = [];

  const handle = async (req: IncomingMessage, res: ServerResponse, send: (status: number, headers?: OutgoingHttpHeaders) => void): Promise<void> => {
    const method = req.method ?? 'GET';
    if (method === 'OPTIONS') {
      send(204, {
        'Access-Control-Allow-Methods': 'GET, HEAD, OPTIONS',
        'Access-Control-Allow-Headers': 'Range, Content-Type',
        'Access-Control-Max-Age': '86400',
        'Content-Length': '0',
      });
      res.end();
      return;
    }
    if (method !== 'GET' && method !== 'HEAD') {
      send(405, { Allow: 'GET, HEAD, OPTIONS', 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end('method not allowed\n');
      return;
    }
    const rawUrl = req.url ?? '/';
    const cut = rawUrl.search(/[?#]/);
    const { file, cache } = mapPath(cut < 0 ? rawUrl : rawUrl.slice(0, cut), mounts);
    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) throw new HttpError(404);

    const etag = `"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`;
    const headers: OutgoingHttpHeaders = {
      'Content-Type': TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
      'Cache-Control': cache,
      ETag: etag,
      'Last-Modified': info.mtime.toUTCString(),
      'Accept-Ranges': 'bytes',
    };
    if (etagMatches(req.headers['if-none-match'], etag)) {
      send(304, headers);
      res.end();
      return;
    }
    const ifRange = req.headers['if-range'];
    const range = ifRange === undefined || (typeof ifRange === 'string' && ifRange.trim() === etag) ? parseRange(req.headers.range, info.size) : null;
    if (range === 'unsatisfiable') {
      send(416, { 'Content-Range': `bytes */${info.size}`, 'Cache-Control': 'no-store', 'Content-Length': '0' });
      res.end();
      return;
    }
    const start = range?.start ?? 0;
    const end = range?.end ?? info.size - 1;
    if (range) headers['Content-Range'] = `bytes ${start}-${end}/${info.size}`;
    headers['Content-Length'] = String(end - start + 1);
    if (method === 'HEAD' || info.size === 0) {
      send(range ? 206 : 200, headers);
      res.end();
      return;
    }
    const stream = await openStream(file, start, end); // before headers: an unreadable file is still a clean 404/500
    if (res.destroyed) {
      stream.destroy();
      return;
    }
    send(range ? 206 : 200, headers);
    await new Promise<void>((done) => {
      stream.on('error', (e) => res.destroy(e));
      res.on('close', () => {
        stream.destroy();
        done();
      });
      stream.pipe(res);
    });
  };

  const server = createServer((req, res) => {
    let reported = false;
    const origin = req.headers.origin;
    const send = (status: number, headers: OutgoingHttpHeaders = {}): void => {
      if (!reported) {
        reported = true;
        const info = { method: req.method ?? '', url: req.url ?? '', ...(typeof origin === 'string' ? { origin } : {}), status };
        if (options.recordRequests) requests.push(info);
        options.onRequest?.(info);
      }
      res.writeHead(status, {
        'Access-Control-Allow-Origin': '*',
        'Access-Control-Expose-Headers': 'Content-Length, Content-Range, ETag',
        'Cross-Origin-Resource-Policy': 'cross-origin',
        'X-Content-Type-Options': 'nosniff',
        ...headers,
      });
    };
    const fail = (e: unknown): void => {
      const status = e instanceof HttpError ? e.status : 500;
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const body = status === 400 ? 'bad request\n' : status === 404 ? 'not found\n' : 'internal error\n';
      send(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', 'Content-Length': String(Buffer.byteLength(body)) });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    const run = async (): Promise<void> => {
      if (options.latencyMs) await new Promise((r) => setTimeout(r, options.latencyMs));
      if (res.destroyed) return;
      await handle(req, res, send);
    };
    run().catch(fail);
  });

  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 8787, options.host ?? '127.0.0.1', () => {
      server.off('error', fail);
      ok();
    });
  });
  const { port, address, family } = server.address() as AddressInfo;
  const shown = address === '0.0.0.0' ? '127.0.0.1' : address === '::' ? '::1' : address;
  const hostPart = family === 'IPv6' || shown.includes(':') ? `[${shown}]` : shown;
  let closing: Promise<void> | null = null;
  return {
    url: `http://${hostPart}:${port}/`,
    ortDir,
    requests,
    countGets: (path) => requests.filter((r) => r.method === 'GET' && r.url.replace(/[?#].*$/, '') === path).length,
    close: () =>
      (closing ??= new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      })),
  };
}
