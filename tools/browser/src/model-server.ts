/**
 * A static server for the prepared models and onnxruntime-web's .wasm/.mjs, with the headers a real
 * model host needs for a null-origin frame (Figma's UI iframe), as docs/hosting-models.md lists them.
 * Files are found, typed and streamed by sirv; this wrapper adds the header policy (CORS `*` on
 * every response, errors too; preflight answers; immutable caching for content-addressed files,
 * no-cache for manifests and pages; no-store on errors; nosniff), the per-mount allow-list and
 * traversal refusal, and the parts of conditional and range requests where sirv 3 falls short: a
 * strong ETag with weak If-None-Match comparison, If-Range, and ranges sirv misreads (suffix
 * `bytes=-n`, `bytes=0-0`, lists; lukeed/sirv#155), which reach it only as one explicit `bytes=a-b`.
 *
 *   /models/<file>        modelsDir: only existing *.json and *.onnx, flat, no listing
 *   /ort/<file>           onnxruntime-web's dist: only ort-wasm-*.wasm and ort-wasm-*.mjs
 *   /cache-helper.html    the built cache helper page (packages/frame/dist/model-host/), which
 *                         null-origin frames embed to keep the model between runs
 *   <prefix><path>        staticDirs[prefix]: any file below the directory
 */
import { createReadStream, existsSync } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';
import { dirname, extname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import sirv from 'sirv';
import { EncodedCopies, acceptsBrotli } from './encoded-copies.js';

export interface ModelServerRequestInfo {
  readonly method: string;
  readonly url: string;
  readonly origin?: string;
  readonly status: number;
  /** The response's Content-Length (bytes on the wire: the encoded size when it is encoded). */
  readonly length?: number;
  readonly encoding?: string;
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
  /**
   * Send .wasm and .onnx with `Content-Encoding: br` to clients that accept it (whole-file GETs; a
   * Range request gets the plain bytes). Default true. Copies: encoded-copies.ts.
   */
  readonly encode?: boolean;
  /** Files to encode at start (encodedReady); default ORT's two .wasm builds and models/isnet-int8-web.onnx. */
  readonly encodeAtStart?: readonly string[];
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
  /** Resolves once the default files (ORT's .wasm builds, the frame's default model) have brotli copies. */
  readonly encodedReady: Promise<void>;
  close(): Promise<void>;
}

/** Where sirv's types (mrmime) differ from the policy: .onnx is unknown to it, HTML lacks the space. */
const TYPES: Readonly<Record<string, string>> = {
  '.onnx': 'application/octet-stream',
  '.html': 'text/html; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
};
const IMMUTABLE = 'public, max-age=31536000, immutable';
const ORT_PROBE = 'ort-wasm-simd-threaded.jsep.wasm';
const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const DEFAULT_CACHE_HELPER = join(REPO_ROOT, 'packages', 'frame', 'dist', 'model-host', 'cache-helper.html');

/** onnxruntime-web's dist directory: as shared-core resolves it, else the usual node_modules places. */
export function defaultOrtDir(root: string = REPO_ROOT): string {
  try {
    const require = createRequire(join(root, 'packages', 'core-web', 'package.json'));
    return dirname(require.resolve(`onnxruntime-web/${ORT_PROBE}`));
  } catch {
    for (const dir of [join(root, 'shared-core', 'node_modules', 'onnxruntime-web', 'dist'), join(root, 'node_modules', 'onnxruntime-web', 'dist')]) {
      if (existsSync(join(dir, ORT_PROBE))) return dir;
    }
  }
  throw new Error(`onnxruntime-web not found (looked for ${ORT_PROBE} from ${join(root, 'shared-core')}); run npm install`);
}

type Handler = ReturnType<typeof sirv>;
interface Mount {
  /** A directory prefix ending in '/', or one exact path (`file` set). */
  readonly prefix: string;
  readonly dir: string;
  readonly file?: string;
  /** Flat mounts allow one path segment matching `name`; others any path below dir. */
  readonly name?: RegExp;
  readonly cache: (file: string) => string;
  readonly serve: Handler;
}

class HttpError extends Error {
  constructor(readonly status: number) {
    super(String(status));
  }
}

/** The file a request path maps to; throws HttpError(400) for traversal, (404) for anything not served. */
function mapPath(rawPath: string, mounts: readonly Mount[]): { file: string; mount: Mount } {
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
      if (decoded === mount.prefix) return { file: mount.file, mount };
      continue;
    }
    if (!decoded.startsWith(mount.prefix)) continue;
    const parts = decoded.slice(mount.prefix.length).split('/');
    if (parts.some((part) => part === '')) throw new HttpError(404); // directories, '//'
    if (mount.name && (parts.length !== 1 || !mount.name.test(parts[0] ?? ''))) throw new HttpError(404);
    const base = resolve(mount.dir);
    const file = resolve(base, ...parts);
    if (!file.startsWith(base + sep)) throw new HttpError(400);
    return { file, mount };
  }
  throw new HttpError(404);
}

/** If-None-Match matches (weak comparison, '*' or a list). */
function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);
}

/** A single `bytes=a-b` / `bytes=a-` / `bytes=-n` range; null (serve whole) when absent or not a single byte range. */
function parseRange(header: string | undefined, size: number): { start: number; end: number } | 'unsatisfiable' | null {
  const m = header ? /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/.exec(header) : null;
  if (!m || (m[1] === '' && m[2] === '')) return null;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    return suffix === 0 || size === 0 ? 'unsatisfiable' : { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  if (m[2] !== '' && Number(m[2]) < start) return null; // invalid range: ignored (RFC 9110 §14.1.1)
  return start >= size ? 'unsatisfiable' : { start, end: m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1) };
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
  // dev: stat each request (files may appear after start); no ETag of its own (ours is strong).
  const mount = (m: Omit<Mount, 'serve'>): Mount => ({ ...m, serve: sirv(m.dir, { dev: true, etag: false, extensions: [], dotfiles: true }) });
  const mounts: Mount[] = [
    mount({ prefix: '/models/', dir: options.modelsDir, name: /^[A-Za-z0-9][\w.-]*\.(json|onnx)$/, cache: (f) => (extname(f) === '.onnx' ? IMMUTABLE : 'no-cache') }),
    ...(ortDir !== null ? [mount({ prefix: '/ort/', dir: ortDir, name: /^ort-wasm-[\w.-]+\.(wasm|mjs)$/, cache: () => IMMUTABLE })] : []),
    ...Object.entries(options.staticDirs ?? {}).map(([prefix, dir]) =>
      mount({ prefix: `${prefix.startsWith('/') ? '' : '/'}${prefix}${prefix.endsWith('/') ? '' : '/'}`, dir, cache: () => 'no-cache' }),
    ),
  ];
  const cacheHelper = options.cacheHelper === undefined ? DEFAULT_CACHE_HELPER : options.cacheHelper;
  // The helper page may change with each frame release: revalidated, never cached for long.
  if (cacheHelper !== null) mounts.push(mount({ prefix: '/cache-helper.html', dir: dirname(cacheHelper), file: cacheHelper, cache: () => 'no-cache' }));
  mounts.sort((a, b) => b.prefix.length - a.prefix.length); // most specific first
  const requests: ModelServerRequestInfo[] = [];
  const copies = options.encode === false ? null : new EncodedCopies(join(options.modelsDir, '.encoded'));
  const defaults = [join(options.modelsDir, 'isnet-int8-web.onnx'), ...(ortDir !== null ? [join(ortDir, ORT_PROBE), join(ortDir, 'ort-wasm-simd-threaded.wasm')] : [])];
  const encodedReady = copies ? copies.warm(options.encodeAtStart ?? defaults) : Promise.resolve();

  const handle = async (req: IncomingMessage, res: ServerResponse, end: (status: number, headers: OutgoingHttpHeaders, body?: string | Buffer) => void): Promise<void> => {
    const method = req.method ?? 'GET';
    if (method === 'OPTIONS') {
      const preflight = { 'Access-Control-Allow-Methods': 'GET, HEAD, OPTIONS', 'Access-Control-Allow-Headers': 'Range, Content-Type', 'Access-Control-Max-Age': '86400' };
      return end(204, { ...preflight, 'Content-Length': '0' });
    }
    if (method !== 'GET' && method !== 'HEAD') return end(405, { Allow: 'GET, HEAD, OPTIONS', 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' }, 'method not allowed\n');
    const rawUrl = req.url ?? '/';
    const cut = rawUrl.search(/[?#]/);
    const { file, mount } = mapPath(cut < 0 ? rawUrl : rawUrl.slice(0, cut), mounts);
    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) throw new HttpError(404);

    const encodable = copies !== null && EncodedCopies.encodes(file);
    const copy = encodable && req.headers.range === undefined && acceptsBrotli(req.headers['accept-encoding']) ? await copies.find(file, info) : null;
    const etag = `"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}${copy ? '-br' : ''}"`;
    const cache = mount.cache(file);
    if (etagMatches(req.headers['if-none-match'], etag)) return end(304, { ETag: etag, 'Cache-Control': cache, 'Last-Modified': info.mtime.toUTCString() });
    const ifRange = req.headers['if-range'];
    const range = ifRange === undefined || String(ifRange).trim() === etag ? parseRange(req.headers.range, info.size) : null;
    if (range === 'unsatisfiable') return end(416, { 'Content-Range': `bytes */${info.size}`, 'Cache-Control': 'no-store', 'Content-Length': '0' });
    const headers: OutgoingHttpHeaders = {
      ETag: etag,
      'Cache-Control': cache,
      'Accept-Ranges': 'bytes',
      ...(encodable ? { Vary: 'Accept-Encoding' } : {}),
      ...(TYPES[extname(file).toLowerCase()] ? { 'Content-Type': TYPES[extname(file).toLowerCase()] } : {}),
    };
    if (copy) {
      // The encoded representation: whole file only (a Range request never gets here).
      const type = headers['Content-Type'] ?? (extname(file) === '.wasm' ? 'application/wasm' : 'application/octet-stream');
      res.writeHead(200, { ...headers, 'Content-Type': type, 'Content-Encoding': copy.encoding, 'Content-Length': String(copy.size) });
      if (method === 'HEAD') return void res.end();
      const stream = createReadStream(copy.path);
      stream.once('error', () => res.destroy());
      res.once('close', () => stream.destroy());
      return void stream.pipe(res);
    }
    if (range?.end === 0) {
      // sirv reads `bytes=0-0` as the whole file (`parseInt(end) || size - 1`): the first byte is sent here.
      const fh = await open(file);
      const { buffer } = await fh.read(Buffer.alloc(1), 0, 1, 0).finally(() => fh.close());
      return end(206, { ...headers, 'Content-Range': `bytes 0-0/${info.size}`, 'Content-Length': '1', 'Content-Type': headers['Content-Type'] ?? 'application/octet-stream' }, buffer);
    }
    if (range) req.headers.range = `bytes=${range.start}-${range.end}`;
    else delete req.headers.range;
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value!); // sirv keeps headers already set
    req.url = `/${relative(mount.dir, file).split(sep).join('/').replaceAll('%', '%25')}`;
    // sirv pipes a file stream without handling its errors or the client going away.
    res.once('pipe', (src: Readable) => {
      src.once('error', () => res.destroy());
      res.once('close', () => src.destroy());
    });
    mount.serve(req, res, () => {
      throw new HttpError(404); // removed since the stat
    });
  };

  const server = createServer((req, res) => {
    const method = req.method ?? '';
    const url = req.url ?? '';
    const origin = req.headers.origin;
    // Reported once, when the status is decided: every response, ours or sirv's, goes through writeHead.
    const writeHead = res.writeHead.bind(res) as (status: number, headers?: OutgoingHttpHeaders) => ServerResponse;
    res.writeHead = ((status: number, headers?: OutgoingHttpHeaders) => {
      const value = (name: string): string | undefined => {
        const v = headers?.[name] ?? headers?.[name.toLowerCase()] ?? res.getHeader(name);
        return v === undefined ? undefined : String(v);
      };
      const length = method === 'HEAD' ? undefined : value('Content-Length');
      const encoding = value('Content-Encoding');
      const info = { method, url, ...(typeof origin === 'string' ? { origin } : {}), status, ...(length !== undefined ? { length: Number(length) } : {}), ...(encoding ? { encoding } : {}) };
      if (options.recordRequests) requests.push(info);
      options.onRequest?.(info);
      return writeHead(status, headers);
    }) as typeof res.writeHead;
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Access-Control-Expose-Headers', 'Content-Length, Content-Range, ETag');
    res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    const end = (status: number, headers: OutgoingHttpHeaders, body?: string | Buffer): void => {
      res.writeHead(status, headers);
      res.end(method === 'HEAD' ? undefined : body);
    };
    const fail = (e: unknown): void => {
      if (res.headersSent) return void res.destroy();
      const status = e instanceof HttpError ? e.status : 500;
      const body = status === 400 ? 'bad request\n' : status === 404 ? 'not found\n' : 'internal error\n';
      for (const name of ['ETag', 'Accept-Ranges', 'Content-Range']) res.removeHeader(name);
      end(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', 'Content-Length': String(Buffer.byteLength(body)) }, body);
    };
    const run = async (): Promise<void> => {
      if (options.latencyMs) await new Promise((r) => setTimeout(r, options.latencyMs));
      if (!res.destroyed) await handle(req, res, end);
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
    encodedReady,
    close: () =>
      (closing ??= new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      })),
  };
}
