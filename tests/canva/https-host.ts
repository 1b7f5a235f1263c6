/**
 * The HTTPS loopback host for the Canva browser test. Canva's CSP allows `connect-src https:`
 * only, so the model host must be HTTPS: a self-signed certificate for localhost and 127.0.0.1 is
 * made with openssl at start, and Chromium trusts it by its SPKI hash. Every request is passed to
 * the project's model server (its real hosting headers); the host pages get Canva's exact CSP as a
 * header (canva-notes §5), with the app bundle's URL and the test nonce filled in. The page is
 * served from https://localhost:<port>, the models from https://127.0.0.1:<port>: cross-origin, as
 * in Canva (app-<id>.canva-apps.com vs the model host), so CORS applies.
 */
import { execFileSync } from 'node:child_process';
import { createHash, createPublicKey } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MODELS_DIR, PAGES_DIR, startModelServer, type ModelServer } from '@cutout/tools-browser';

const NONCE = 'cutout-canva-test';

function canvaCsp(appUrl: string): string {
  return [
    "base-uri 'none'",
    "child-src 'none'",
    'connect-src https: data: wss: https://o13855.ingest.sentry.io https://telemetry.canva.com/v1/traces',
    "default-src 'none'",
    'font-src data: https: https://static.canva.com',
    "form-action 'none'",
    'frame-ancestors https://*.canva.com http://localhost:*',
    "frame-src 'none'",
    'img-src data: https: blob: https://static.canva.com',
    'media-src data: https: blob: https://static.canva.com',
    "object-src 'none'",
    `script-src 'wasm-unsafe-eval' ${appUrl} https://static.canva.com 'nonce-${NONCE}'`,
    "style-src 'unsafe-inline' https://static.canva.com",
    "worker-src 'none'",
  ].join('; ');
}

export interface HttpsHost {
  /** https://localhost:<port>/ (pages, app.js) */
  readonly pageBase: string;
  /** https://127.0.0.1:<port>/ (models, ort, images) */
  readonly modelBase: string;
  /** sha256 of the certificate's public key, base64 (Chromium's --ignore-certificate-errors-spki-list). */
  readonly spki: string;
  readonly server: ModelServer;
  close(): Promise<void>;
}

export async function startHttpsHost(workDir: string): Promise<HttpsHost> {
  const certDir = await mkdtemp(join(tmpdir(), 'cutout-canva-cert-'));
  const key = join(certDir, 'key.pem');
  const cert = join(certDir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'], { stdio: 'ignore' });
  const certPem = await readFile(cert, 'utf8');
  const spki = createHash('sha256').update(createPublicKey(certPem).export({ type: 'spki', format: 'der' })).digest('base64');
  const server = await startModelServer({ port: 0, modelsDir: MODELS_DIR, recordRequests: true, cacheHelper: null, staticDirs: { '/harness/': PAGES_DIR, '/canva/': workDir, '/work/': workDir } });
  await server.encodedReady; // brotli copies of the model and the .wasm before the first request
  const upstream = new URL(server.url);
  let port = 0;
  const https = createServer({ key: await readFile(key), cert: certPem }, (req, res) => {
    const path = req.url ?? '/';
    const proxied = httpRequest({ host: upstream.hostname, port: upstream.port, path, method: req.method, headers: req.headers }, (up) => {
      const headers = { ...up.headers };
      if (/^\/harness\/canva-[\w-]+\.html/.test(path)) {
        const script = path.startsWith('/harness/canva-bare') ? '/canva/bare.js' : '/canva/app.js';
        headers['content-security-policy'] = canvaCsp(`https://localhost:${port}${script}`);
      }
      res.writeHead(up.statusCode ?? 502, headers);
      up.pipe(res);
    });
    proxied.on('error', () => res.destroy());
    req.pipe(proxied);
  });
  await new Promise<void>((resolve) => https.listen(0, '127.0.0.1', resolve));
  port = (https.address() as AddressInfo).port;
  return {
    pageBase: `https://localhost:${port}/`,
    modelBase: `https://127.0.0.1:${port}/`,
    spki,
    server,
    async close() {
      https.closeAllConnections();
      await new Promise<void>((resolve) => https.close(() => resolve()));
      await server.close();
      await rm(certDir, { recursive: true, force: true });
    },
  };
}
