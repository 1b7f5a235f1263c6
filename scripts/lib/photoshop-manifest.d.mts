/** Types of photoshop-manifest.mjs (plain JavaScript so that scripts/build.mjs can import it on Node 20). */

export declare class PhotoshopManifestError extends Error {}

export interface PhotoshopManifestTemplate {
  readonly requiredPermissions?: { readonly webview?: unknown; readonly network?: unknown; readonly [key: string]: unknown };
  readonly [key: string]: unknown;
}

export type PhotoshopManifest = PhotoshopManifestTemplate & {
  readonly requiredPermissions: { readonly network: { readonly domains: string[] }; readonly [key: string]: unknown };
};

export declare function buildPhotoshopManifest(template: PhotoshopManifestTemplate, options: { readonly modelBase: string; readonly release: boolean }): PhotoshopManifest;
