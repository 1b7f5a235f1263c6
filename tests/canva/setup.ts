/**
 * Canva's official fakes for Node tests (canva-notes §3): the `@canva/*` packages read
 * `window.canva_sdk` when imported, so a `window` global must exist and `initTestEnvironment()`
 * must run before any of them is imported. Import this module first in a test file. `@canva/error`
 * stays real (as in the starter kit's jest.setup.ts), so tests throw real `CanvaError`s.
 */
(globalThis as { window?: unknown }).window ??= globalThis;
const { initTestEnvironment: asset } = await import('@canva/asset/test');
const { initTestEnvironment: design } = await import('@canva/design/test');
const { initTestEnvironment: error } = await import('@canva/error/test');
const { initTestEnvironment: intents } = await import('@canva/intents/test');
const { initTestEnvironment: platform } = await import('@canva/platform/test');
for (const init of [asset, design, error, intents, platform]) init();

/** The SDK object the packages read (the fakes installed above): tests replace single methods on it. */
export const sdk = (globalThis as unknown as { canva_sdk: any }).canva_sdk;
