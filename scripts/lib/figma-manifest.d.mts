/** Types of figma-manifest.mjs (plain JavaScript so that scripts/build.mjs can import it on Node 20). */

export declare const DEFAULT_DEV_MODEL_BASE: string;

export declare class FigmaManifestError extends Error {}

export interface NetworkAccess {
  readonly allowedDomains: string[];
  readonly devAllowedDomains?: string[];
  readonly reasoning?: string;
}

export interface FigmaManifestTemplate {
  readonly networkAccess?: { readonly reasoning?: string; readonly [key: string]: unknown };
  readonly [key: string]: unknown;
}

export type FigmaManifest = FigmaManifestTemplate & { readonly main: 'code.js'; readonly ui: 'ui.html'; readonly networkAccess: NetworkAccess };

export declare function normaliseModelBase(base: string): string;
export declare function releaseProblems(base: string): string[];
export declare function releaseRefusal(base: string, where: string, docs?: string): string | undefined;
export declare function allowedDomainEntry(base: string): string;
export declare function entryCovers(entry: string, target: string): boolean;
export declare function isCovered(entries: readonly string[], target: string): boolean;
export declare function modelHostUrls(base: string): string[];
export declare function networkAccessFor(base: string, reasoning?: string): NetworkAccess;
export declare function buildFigmaManifest(template: FigmaManifestTemplate, options: { readonly modelBase: string; readonly release: boolean }): FigmaManifest;
