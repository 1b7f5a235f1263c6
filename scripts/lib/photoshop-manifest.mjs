// The Photoshop plugin's manifest.json, derived at build time from the model base URL the panel is
// built with, so the URL baked into main.js and the one domain the panel may reach cannot disagree.
// UXP gates the panel's fetch by `requiredPermissions.network.domains` (hosts.md §2.1); entries are
// origins ("https://models.example.com"), with no path. The webview gets no domains (`domains: []`):
// its page and the model are local files in plugin-data: (notes, "Design consequences" 1-2).
// The base is normalised and checked for release with the Figma plugin's rules (figma-manifest.mjs):
// a release build refuses http, loopback, private and reserved hosts.
//
// Plain JavaScript (with photoshop-manifest.d.mts) because scripts/build.mjs runs on plain Node 20.
import { FigmaManifestError, normaliseModelBase, releaseRefusal } from './figma-manifest.mjs';

export class PhotoshopManifestError extends Error {
  name = 'PhotoshopManifestError';
}

/** The network.domains entry for a model base: its origin. */
function networkDomainFor(base) {
  return new URL(normaliseModelBase(base)).origin;
}

/**
 * `template` is photoshop-uxp/manifest.template.json (everything but network.domains, which the build
 * derives). `release` refuses a base a designer's Photoshop could not reach.
 */
export function buildPhotoshopManifest(template, { modelBase, release }) {
  let base;
  try {
    base = normaliseModelBase(modelBase);
  } catch (e) {
    throw e instanceof FigmaManifestError ? new PhotoshopManifestError(e.message) : e;
  }
  const permissions = template.requiredPermissions ?? {};
  if (permissions.network) throw new PhotoshopManifestError('manifest.template.json must not list requiredPermissions.network: the build derives it from CUTOUT_MODEL_BASE.');
  const webview = permissions.webview ?? {};
  if (webview.allowLocalRendering !== 'yes' || webview.enableMessageBridge !== 'localOnly' || !Array.isArray(webview.domains) || webview.domains.length) {
    throw new PhotoshopManifestError('manifest.template.json: the webview must have allowLocalRendering "yes", enableMessageBridge "localOnly" and domains [] (local content only).');
  }
  const refusal = release ? releaseRefusal(base, 'the Photoshop plugin') : undefined;
  if (refusal) throw new PhotoshopManifestError(refusal);
  return { ...template, requiredPermissions: { ...permissions, network: { domains: [networkDomainFor(base)] } } };
}
