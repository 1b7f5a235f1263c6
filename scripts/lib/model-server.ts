/**
 * A static server for the prepared models and onnxruntime-web's .wasm, with the headers a real
 * model host needs for a null-origin frame (Figma's UI iframe): CORS `*` on every response,
 * `application/wasm` for streaming compilation, long-lived immutable caching for content-addressed
 * files, no-cache for manifests, ETag/304, byte ranges. Also serves test pages (staticDirs).
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { dirname, extname, join, resolve, sep } from 'node:path';

export interface ModelServerOptions {
  readonly port?: number;
  readonly host?: string;
  readonly modelsDir: string;
  readonly ortDir?: string;
  /** URL prefix ('/frame/') → directory, for pages and test fixtures. */
  readonly staticDirs?: Readonly<Record<string, string>>;
  readonly onRequest?: (info: { method: string; url: string; origin: string | undefined; status: number }) => void;
  /** Delay before each response (tests of progress and cancel). */
  readonly latencyMs?: number;
}

export interface ModelServer {
  readonly url: string;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.wasm': 'application/wasm',
  '.mjs': 'text/javascript; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.onnx': 'application/octet-stream',
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.rgba': 'application/octet-stream',
};
const IMMUTABLE = new Set(['.onnx', '.wasm', '.mjs']);

export function defaultOrtDir(root: string): string {
  const require = createRequire(join(root, 'shared-core', 'package.json'));
  return dirname(require.resolve('onnxruntime-web/ort-wasm-simd-threaded.jsep.wasm'));
}

/** The file a URL path maps to, or null (unknown prefix, traversal, disallowed name). */
function mapPath(pathname: string, options: ModelServerOptions, ortDir: string): { file: string; immutable: boolean } | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const mounts: Array<[string, string, (name: string) => boolean]> = [
    ['/models/', options.modelsDir, (n) => /^[\w.-]+\.(json|onnx)$/.test(n)],
    ['/ort/', ortDir, (n) => /^ort-wasm-[\w.-]+\.(wasm|mjs)$/.test(n)],
    ...Object.entries(options.staticDirs ?? {}).map(([prefix, dir]): [string, string, (n: string) => boolean] => [prefix, dir, () => true]),
  ];
  for (const [prefix, dir, allowed] of mounts) {
    if (!decoded.startsWith(prefix)) continue;
    const rest = decoded.slice(prefix.length);
    if (rest.split('/').some((part) => part === '..' || part === '.') || !allowed(rest.split('/').at(-1) ?? '')) return null;
    const base = resolve(dir);
    const file = resolve(base, rest);
    if (!file.startsWith(base + sep)) return null;
    return { file, immutable: prefix === '/models/' || prefix === '/ort/' ? IMMUTABLE.has(extname(file)) : false };
  }
  return null;
}

function baseHeaders(res: ServerResponse): void {
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.setHeader('Access-Control-Expose-Headers', 'Content-Length, Content-Range, ETag');
  res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
}

async function handle(req: IncomingMessage, res: ServerResponse, options: ModelServerOptions, ortDir: string): Promise<number> {
  baseHeaders(res);
  const method = req.method ?? 'GET';
  if (method === 'OPTIONS') {
    res.writeHead(204, {
      'Access-Control-Allow-Methods': 'GET, HEAD, OPTIONS',
      'Access-Control-Allow-Headers': 'Range, Content-Type',
      'Access-Control-Max-Age': '86400',
    });
    res.end();
    return 204;
  }
  if (method !== 'GET' && method !== 'HEAD') {
    res.writeHead(405, { Allow: 'GET, HEAD, OPTIONS', 'Content-Type': 'text/plain' });
    res.end('method not allowed\n');
    return 405;
  }
  const pathname = new URL(req.url ?? '/', 'http://x').pathname;
  const mapped = mapPath(pathname, options, ortDir);
  const info = mapped ? await stat(mapped.file).catch(() => null) : null;
  if (!mapped || !info || !info.isFile()) {
    res.writeHead(404, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache' });
    res.end('not found\n');
    return 404;
  }
  const etag = `"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`;
  res.setHeader('Content-Type', TYPES[extname(mapped.file)] ?? 'application/octet-stream');
  res.setHeader('Cache-Control', mapped.immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
  res.setHeader('ETag', etag);
  res.setHeader('Accept-Ranges', 'bytes');
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304);
    res.end();
    return 304;
  }
  let start = 0;
  let end = info.size - 1;
  let status = 200;
  const range = req.headers.range;
  if (range) {
    const m = /^bytes=(\d*)-(\d*)$/.exec(range);
    const a = m?.[1] ? Number(m[1]) : NaN;
    const b = m?.[2] ? Number(m[2]) : NaN;
    if (m && !Number.isNaN(a)) {
      start = a;
      end = Number.isNaN(b) ? info.size - 1 : Math.min(b, info.size - 1);
    } else if (m && !Number.isNaN(b)) {
      start = Math.max(0, info.size - b);
    }
    if (!m || start > end || start >= info.size) {
      res.writeHead(416, { 'Content-Range': `bytes */${info.size}` });
      res.end();
      return 416;
    }
    status = 206;
    res.setHeader('Content-Range', `bytes ${start}-${end}/${info.size}`);
  }
  res.setHeader('Content-Length', String(end - start + 1));
  res.writeHead(status);
  if (method === 'HEAD' || info.size === 0) {
    res.end();
    return status;
  }
  await new Promise<void>((done) => {
    const stream = createReadStream(mapped.file, { start, end });
    stream.on('error', () => {
      res.destroy();
      done();
    });
    res.on('close', () => {
      stream.destroy();
      done();
    });
    stream.pipe(res);
  });
  return status;
}

export async function startModelServer(options: ModelServerOptions): Promise<ModelServer> {
  const ortDir = options.ortDir ?? defaultOrtDir(resolve(dirname(new URL(import.meta.url).pathname), '..', '..'));
  const server = createServer((req, res) => {
    const run = async (): Promise<void> => {
      if (options.latencyMs) await new Promise((r) => setTimeout(r, options.latencyMs));
      const status = await handle(req, res, options, ortDir).catch(() => {
        if (!res.headersSent) res.writeHead(500);
        res.end();
        return 500;
      });
      const origin = req.headers.origin;
      options.onRequest?.({ method: req.method ?? '', url: req.url ?? '', origin: typeof origin === 'string' ? origin : undefined, status });
    };
    void run();
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 8787, options.host ?? '127.0.0.1', () => ok());
  });
  const { port, address } = server.address() as AddressInfo;
  return {
    url: `http://${address}:${port}/`,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
