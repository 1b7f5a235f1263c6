/**
 * Every `@canva/*` call the app makes, and nothing else (canva-notes §11: one thin adapter). The
 * rest of the app sees plain functions and types, so it can be tested with Canva's official fakes
 * (`@canva/*\/test`) and the brush and encoding code never import the SDK.
 */
import { getTemporaryUrl, upload, type ImageMimeType, type ImageRef } from '@canva/asset';
import { addElementAtPoint, overlay, selection, type ContentDraft } from '@canva/design';
import { appProcess, notification, type AppProcessId, type AppSurface, type CloseParams } from '@canva/platform';

export type { AppProcessId, AppSurface, ContentDraft, ImageRef };

/** One selected image in a draft; `ref` is written back to replace it in place. */
export interface SelectedImage {
  ref: ImageRef;
}

export interface ImageSelectionEvent {
  readonly count: number;
  read(): Promise<ContentDraft<SelectedImage>>;
}

/** Listens to the image selection; fires at once when an image is already selected (ND L2967). */
export function watchImageSelection(onChange: (event: ImageSelectionEvent) => void): () => void {
  return selection.registerOnChange({ scope: 'image', onChange: (event) => onChange(event) });
}

/** The image's bytes: a short-lived URL from Canva (20 calls / 10 s), downloaded with CORS. */
export async function downloadImage(ref: ImageRef, signal?: AbortSignal): Promise<Uint8Array> {
  const { url } = await getTemporaryUrl({ type: 'image', ref });
  const response = await fetch(url, { mode: 'cors', credentials: 'omit', ...(signal ? { signal } : {}) });
  if (!response.ok) throw new DownloadError(response.status);
  return new Uint8Array(await response.arrayBuffer());
}

class DownloadError extends Error {
  readonly code = 'download_failed';
  constructor(readonly status: number) {
    super(`The image could not be downloaded from Canva (HTTP ${status}).`);
  }
}

export interface UploadRequest {
  readonly dataUrl: string;
  readonly mimeType: ImageMimeType;
  readonly thumbnailUrl: string;
  readonly width: number;
  readonly height: number;
  readonly name: string;
  /** The original image: Canva keeps the link from the cut-out to it. */
  readonly parentRef: ImageRef;
}

/**
 * Uploads a cut-out. `aiDisclosure: 'none'`: "AI removes background without replacement" (NA
 * L664). The ref is usable before the upload completes (canva.dev/docs/apps/content).
 */
export async function uploadCutout(request: UploadRequest): Promise<ImageRef> {
  const queued = await upload({
    type: 'image',
    url: request.dataUrl,
    mimeType: request.mimeType,
    thumbnailUrl: request.thumbnailUrl,
    width: request.width,
    height: request.height,
    name: request.name,
    parentRef: request.parentRef,
    aiDisclosure: 'none',
  });
  return queued.ref;
}

/** "Add as new image": the cut-out beside the original instead of replacing it. */
export async function addAsNewImage(ref: ImageRef, altText: string): Promise<void> {
  await addElementAtPoint({ type: 'image', ref, altText: { text: altText, decorative: false } });
}

export async function toast(messageText: string): Promise<void> {
  await notification.addToast({ messageText });
}

/** Where this process runs: the object panel, or the overlay on the selected image. */
export function currentSurface(): AppSurface {
  return appProcess.current.getInfo().surface;
}

export type OverlayAvailability = { readonly canOpen: false; readonly reason: string } | { readonly canOpen: true; open(launchParameters: unknown): Promise<AppProcessId> };

/** Whether the overlay can open on the selection; fires at once (ND L2939-2952). */
export function watchOverlay(onChange: (availability: OverlayAvailability) => void): () => void {
  return overlay.registerOnCanOpen({
    target: 'image_selection',
    onCanOpen: (event) =>
      onChange(event.canOpen ? { canOpen: true, open: (launchParameters) => event.open({ launchParameters }) } : { canOpen: false, reason: event.reason }),
  });
}

export function closeProcess(id: AppProcessId, reason: CloseParams['reason']): Promise<void> {
  return appProcess.requestClose(id, { reason });
}

/** Runs `onDispose` before Canva closes this process (one callback per process; NP L340-370). */
export function onDispose(handler: (reason: CloseParams['reason']) => Promise<void>): void {
  appProcess.current.setOnDispose((context) => handler(context.reason));
}

/** Whether another process (the overlay) opened or closed. */
export function watchProcess(id: AppProcessId, onState: (state: string) => void): () => void {
  return appProcess.registerOnStateChange(id, ({ state }) => onState(state));
}

export function broadcast(message: unknown): void {
  appProcess.broadcastMessage(message);
}

export function onMessage(handler: (sender: AppProcessId, message: unknown) => void): () => void {
  return appProcess.registerOnMessage(async (sender, message) => handler(sender.appProcessId, message));
}

export function launchParams(): unknown {
  return appProcess.current.getInfo().launchParams;
}
