// The Figma plugin's manifest.json, derived at build time from the model base URL the plugin is
// built with, so the URL baked into code.js and the domains Figma lets the plugin reach cannot
// disagree (review F4).
//
// Figma blocks every request of the plugin outside `networkAccess.allowedDomains`, and reports it
// as a CSP error; `devAllowedDomains` applies only while the plugin is run in development; entries
// may be origins, wildcards or origin + path prefixes ("https://my-app.cdn.com", "*.example.com",
// "example.com/api/"); "none" allows nothing
// (https://developers.figma.com/docs/plugins/updates/2023/05/10/version-1-update-66).
//
// Plain JavaScript (with figma-manifest.d.mts) because scripts/build.mjs runs on plain Node 20.

export const DEFAULT_DEV_MODEL_BASE = 'http://127.0.0.1:8787/';

export class FigmaManifestError extends Error {
  name = 'FigmaManifestError';
}

/**
 * The base as the frame and the plugin use it: absolute http(s), no credentials, query or
 * fragment, ending in '/' (the frame's normaliseBaseUrl appends one the same way).
 */
export function normaliseModelBase(base) {
  let url;
  try {
    url = new URL(base);
  } catch {
    throw new FigmaManifestError(`CUTOUT_MODEL_BASE "${base}" is not an absolute URL (expected e.g. https://models.example.com/cutout/).`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new FigmaManifestError(`CUTOUT_MODEL_BASE must be an http(s) URL; got ${url.protocol} in "${base}".`);
  if (url.username || url.password) throw new FigmaManifestError(`CUTOUT_MODEL_BASE must not carry credentials ("${base}").`);
  if (url.search || url.hash) throw new FigmaManifestError(`CUTOUT_MODEL_BASE must not have a query or fragment ("${base}"): files are fetched as <base>models/<file>.`);
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url.href;
}

/** Hosts a designer's Figma cannot reach on the publisher's server: this machine, private networks, reserved names. */
function unreachableHostReason(hostname) {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return 'a loopback host';
  if (host === '::1' || host === '::' || /^0+(:0+)*:0*1$/.test(host)) return 'a loopback address';
  const v4 = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(host);
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    if (a === 127) return 'a loopback address';
    if (a === 0) return 'an unspecified address';
    if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254)) return 'a private network address';
  }
  if (/^f[cd][0-9a-f]{2}:/.test(host) || host.startsWith('fe80:')) return 'a private network address';
  // RFC 2606 / RFC 6761 names never resolve on the public internet (the old placeholder was models.cutout.example).
  const tld = host.split('.').pop() ?? '';
  if (['example', 'invalid', 'test', 'local', 'localhost'].includes(tld)) return `a reserved name (.${tld})`;
  return null;
}

/** Why a release may not ship with this base; empty when it may. */
export function releaseProblems(base) {
  let href;
  try {
    href = normaliseModelBase(base);
  } catch (e) {
    return [e.message];
  }
  const url = new URL(href);
  const problems = [];
  if (url.protocol !== 'https:') problems.push(`it is ${url.protocol.slice(0, -1)}, not https (Figma's network allow-list and the model host guide expect HTTPS; docs/hosting-models.md)`);
  const unreachable = unreachableHostReason(url.hostname);
  if (unreachable) problems.push(`its host ${url.hostname} is ${unreachable}: designers' Figma cannot reach it`);
  return problems;
}

/** The narrowest allowedDomains entry covering every file under the base: its origin, plus its path when not '/'. */
export function allowedDomainEntry(base) {
  const url = new URL(normaliseModelBase(base));
  return url.pathname === '/' ? url.origin : `${url.origin}${url.pathname}`;
}

const DEFAULT_PORT = { 'http:': '80', 'https:': '443', 'ws:': '80', 'wss:': '443' };

/**
 * Whether an allowedDomains entry admits a URL, read the way a CSP source expression is
 * (CSP3 §6.7.2.8): optional scheme ("https:" also admits nothing but https), host with an optional
 * leading "*." wildcard, optional port, optional path (a prefix when it ends in '/', else exact).
 */
export function entryCovers(entry, target) {
  if (entry === 'none') return false;
  const url = new URL(target);
  const m = /^(?:([a-z][a-z0-9+.-]*):\/\/)?(\*\.)?([^/:]+|\[[^\]]+\])(?::(\d+|\*))?(\/.*)?$/i.exec(entry);
  if (!m) return false;
  const [, scheme, wildcard, host, port, path] = m;
  if (scheme) {
    if (`${scheme.toLowerCase()}:` !== url.protocol) return false;
  } else if (url.protocol !== 'https:' && url.protocol !== 'wss:') {
    return false; // a scheme-less entry in an https page's CSP admits https/wss only
  }
  const want = host.toLowerCase();
  const got = url.hostname.toLowerCase();
  if (wildcard ? !got.endsWith(`.${want}`) : got !== want) return false;
  const targetPort = url.port || DEFAULT_PORT[url.protocol] || '';
  const entryPort = port ?? DEFAULT_PORT[url.protocol] ?? '';
  if (entryPort !== '*' && entryPort !== targetPort) return false;
  if (path) {
    const pathname = decodeURIComponent(url.pathname);
    return path.endsWith('/') ? pathname.startsWith(path) : pathname === path;
  }
  return true;
}

export function isCovered(entries, target) {
  return entries.some((entry) => entryCovers(entry, target));
}

/** The URLs the plugin's UI loads from the model host: each must be allowed (the helper page is framed, the rest fetched). */
export function modelHostUrls(base) {
  const href = normaliseModelBase(base);
  return [href, `${href}models/index.json`, `${href}models/isnet-int8-web.onnx`, `${href}ort/ort-wasm-simd-threaded.jsep.wasm`, `${href}cache-helper.html`];
}

/**
 * Why a release build refuses `base` in `where` (each host's build says it the same way), with what
 * to set instead; undefined when a release may use it.
 */
export function releaseRefusal(base, where, docs = '') {
  const problems = releaseProblems(base);
  if (!problems.length) return undefined;
  return (
    `Release build refused: the model base ${base} cannot ship in ${where}, because ${problems.join('; and ')}. ` +
    `Set CUTOUT_MODEL_BASE to the https:// URL of your model host${docs}, e.g. CUTOUT_MODEL_BASE=https://models.example.com/cutout/ CUTOUT_RELEASE=1 npm run build.`
  );
}

/**
 * `networkAccess` for a model base. A base a release may use goes into allowedDomains; any other
 * (loopback, http, private) only into devAllowedDomains, with allowedDomains ["none"], so a build
 * that could reach it only in development cannot be published as it is.
 */
export function networkAccessFor(base, reasoning) {
  const entry = allowedDomainEntry(base);
  const releasable = releaseProblems(base).length === 0;
  return {
    allowedDomains: releasable ? [entry] : ['none'],
    ...(releasable ? {} : { devAllowedDomains: [entry] }),
    ...(reasoning ? { reasoning } : {}),
  };
}

/**
 * The manifest to write next to code.js and ui.html. `template` is figma-plugin/manifest.template.json
 * (everything but main, ui and the network lists); `release` refuses any base a designer's Figma
 * could not use, and checks that every model-host URL is allowed.
 */
export function buildFigmaManifest(template, { modelBase, release }) {
  const base = normaliseModelBase(modelBase);
  const net = template.networkAccess ?? {};
  if ('allowedDomains' in net || 'devAllowedDomains' in net) {
    throw new FigmaManifestError('manifest.template.json must not list allowedDomains/devAllowedDomains: the build derives them from CUTOUT_MODEL_BASE.');
  }
  const refusal = release ? releaseRefusal(base, 'a published plugin', ' (docs/hosting-models.md)') : undefined;
  if (refusal) throw new FigmaManifestError(refusal);
  const networkAccess = networkAccessFor(base, net.reasoning);
  const reachable = release ? networkAccess.allowedDomains : [...networkAccess.allowedDomains, ...(networkAccess.devAllowedDomains ?? [])];
  const outside = modelHostUrls(base).filter((u) => !isCovered(reachable, u));
  if (outside.length) {
    throw new FigmaManifestError(`The generated networkAccess ${JSON.stringify(reachable)} does not cover ${outside.join(', ')}; refusing to write a manifest that would block the model host.`);
  }
  return { ...template, main: 'code.js', ui: 'ui.html', networkAccess };
}
