/**
 * Build-time settings (scripts/build-canva.mjs writes them with esbuild's `define`): where the
 * model and ORT's .wasm are downloaded from, and which model runs. Canva's CSP allows `connect-src
 * https:` only, so the base must be an HTTPS URL with CORS for the app's origin
 * (https://app-<id>.canva-apps.com) or `*` (README.md, "Model host").
 */
declare const __CANVA_MODEL_BASE__: string;
declare const __CANVA_MODEL_ID__: string;

// `typeof`: Node tests import this module unbuilt, where the constants are not defined.
export const MODEL_BASE: string = typeof __CANVA_MODEL_BASE__ === 'string' ? __CANVA_MODEL_BASE__ : 'https://localhost:8788/';
export const MODEL_ID: string = typeof __CANVA_MODEL_ID__ === 'string' ? __CANVA_MODEL_ID__ : 'isnet-int8-web';

/** Canva's `upload` limit for a data URL: 10 MB counted in characters (NA L554-559). */
export const MAX_DATA_URL_CHARS = 10 * 1024 * 1024;
/** Thumbnails: same aspect ratio as the image (Canva's content guidelines), at most this side. */
export const THUMBNAIL_SIDE = 256;
