/**
 * The batch every host runs: read each target, send it to the frame, stage each result as it
 * arrives, and write only once every image is done — so a cancel, a closed plugin or a frame that
 * never boots changes nothing, and the write is one block (one undo step where the host groups
 * synchronous writes). Per-image failures become skip reasons; a result of the wrong kind (the
 * host asked for a cut-out and got a mask) is refused, never written.
 */
import { isFrameError, type FrameClient, type RemovePayload, type RemoveResult } from '@cutout/protocol';
import { isUnreadable, type HostPort, type Skip, type WriteItem } from './host-port.js';

/** What each request asks for, apart from the pixels and the label. */
export type RequestTemplate = Omit<RemovePayload, 'image' | 'encoded' | 'label'>;

export interface BatchOptions<T, S> {
  readonly client: FrameClient;
  readonly port: HostPort<T, S>;
  readonly targets: ReadonlyArray<T>;
  readonly request: RequestTemplate;
  /** Targets already refused while reading the selection; their reasons join the summary. */
  readonly skipped?: ReadonlyArray<Skip>;
  /** Aborting cancels the image in flight and ends the batch with nothing written. */
  readonly signal?: AbortSignal;
}

export type BatchStatus = 'done' | 'cancelled' | 'closed' | 'failed';

export interface BatchOutcome {
  readonly status: BatchStatus;
  readonly written: number;
  readonly skipped: ReadonlyArray<Skip>;
  /** Set when status is 'failed' (the frame never started, or the connection closed). */
  readonly error?: { readonly code: string; readonly message: string };
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** Checks a result answers what was asked; returns the problem, or null. */
export function resultProblem(request: RequestTemplate, result: RemoveResult): string | null {
  const wanted = request.output ?? 'mask';
  if (result.output !== wanted) return `the frame returned a ${result.output} where a ${wanted} was asked for`;
  if (request.png && !result.png) return 'the frame returned no image';
  if (!request.png && !result.matte) return 'the frame returned no matte';
  return null;
}

export async function runBatch<T, S>(options: BatchOptions<T, S>): Promise<BatchOutcome> {
  const { client, port, targets, request, signal } = options;
  const skipped: Skip[] = [...(options.skipped ?? [])];
  const staged: Array<WriteItem<T, S>> = [];
  const end = (status: BatchStatus, error?: { code: string; message: string }): BatchOutcome => ({ status, written: 0, skipped, ...(error ? { error } : {}) });
  try {
    await client.ready;
  } catch (e) {
    return end('failed', { code: isFrameError(e) ? e.code : 'internal', message: message(e) });
  }
  for (const [index, target] of targets.entries()) {
    if (port.isClosed()) return end('closed');
    if (signal?.aborted) return end('cancelled');
    const name = port.name(target);
    const pixels = await port.read(target).catch((e: unknown) => ({ kind: 'skip', reason: `could not be read (${message(e)})` }) as const);
    if (isUnreadable(pixels)) {
      skipped.push({ name, reason: pixels.reason });
      continue;
    }
    if (port.isClosed()) return end('closed');
    const label = targets.length > 1 ? `${name} (${index + 1} of ${targets.length})` : name;
    let result: RemoveResult;
    try {
      result = await client.request(
        'remove',
        { ...request, ...(pixels.kind === 'encoded' ? { encoded: { data: pixels.data } } : { image: pixels.image }), label },
        { ...(signal ? { signal } : {}), onProgress: (p) => port.progress?.({ index, total: targets.length, name, stage: p.stage, fraction: p.fraction }) },
      );
    } catch (e) {
      if (port.isClosed()) return end('closed');
      if (isFrameError(e, 'cancelled')) return end('cancelled');
      if (isFrameError(e, 'closed') || isFrameError(e, 'ready_timeout')) return end('failed', { code: e.code, message: e.message });
      skipped.push({ name, reason: `failed (${message(e)})` });
      continue;
    }
    if (port.isClosed()) return end('closed');
    const problem = resultProblem(request, result);
    if (problem) {
      skipped.push({ name, reason: `was not changed: ${problem}` });
      continue;
    }
    try {
      const s = await port.stage(target, result);
      if (isUnreadable(s)) skipped.push({ name, reason: s.reason });
      else staged.push({ target, staged: s });
    } catch (e) {
      skipped.push({ name, reason: `could not be written (${message(e)})` });
    }
  }
  if (port.isClosed()) return end('closed');
  if (signal?.aborted) return end('cancelled');
  const refused = await port.write(staged);
  skipped.push(...refused);
  return { status: 'done', written: staged.length - refused.length, skipped };
}
