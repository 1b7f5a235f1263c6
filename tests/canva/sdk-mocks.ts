/**
 * The `@canva/*` modules as the Canva tests mock them (the starter kit's jest.mock, canva-notes §3):
 * each package captures `canva_sdk.<path>` at import, and the fakes' class methods are made
 * non-configurable by `bindMethodsToClients`, so a spy on the SDK object cannot reach them. Each
 * mocked function defaults to the official fake's own behaviour (`vi.fn(real)`; `mockReset()`
 * returns to it). Objects whose members are plain properties (selection, overlay,
 * `appProcess.current`) stay the fake's own and are spied on directly (canva-hooks.ts).
 * Use in a test file as
 *   vi.mock('@canva/asset', async (o) => (await import('./canva/sdk-mocks.js')).mockAsset(await o()));
 */
import { vi } from 'vitest';

type Asset = typeof import('@canva/asset');
type Design = typeof import('@canva/design');
type Platform = typeof import('@canva/platform');

export function mockAsset(real: Asset): Asset {
  return { ...real, upload: vi.fn(real.upload) as unknown as Asset['upload'], getTemporaryUrl: vi.fn(real.getTemporaryUrl) as unknown as Asset['getTemporaryUrl'] };
}

export function mockDesign(real: Design): Design {
  return { ...real, addElementAtPoint: vi.fn(real.addElementAtPoint) };
}

export function mockPlatform(real: Platform): Platform {
  const p = real.appProcess;
  const appProcess = {
    current: p.current,
    requestClose: vi.fn(p.requestClose),
    registerOnStateChange: vi.fn(p.registerOnStateChange),
    registerOnMessage: vi.fn(p.registerOnMessage),
    broadcastMessage: vi.fn(p.broadcastMessage),
  } as unknown as Platform['appProcess'];
  return { ...real, appProcess, notification: { addToast: vi.fn(real.notification.addToast) } };
}
