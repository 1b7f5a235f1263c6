/**
 * The plugin's tests' stand-in for the inference frame (the UI side of the fake), and their set-up
 * helpers. It validates every message the plugin sends with the protocol's own parser, answers
 * configure / remove / panel / diagnostics as the frame does (remove: a synthetic disc matte
 * encoded as a real PNG, at most maxOutputSide a side, decoded with the EXIF orientation applied as
 * a browser does; PNG replies carry no matte), and can misbehave on request: never send `ready`,
 * answer with the wrong output kind, fail one image. Tests wait on events (`waitFor`, the fake's
 * `whenClosed`), never on sleeps. The real frame is tested in Chromium (tests/browser/figma-e2e.test.ts).
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { parseHostMessage, type DiagnosticsResult, type PanelPayload } from '@cutout/protocol';
import { FakeFigma, runPlugin, type FakeOptions, type FakeScene, type FakeNode } from './fake-figma.js';
import { ROOT } from '../helpers/paths.js';

/** The plugin's manifest (menu commands and relaunch buttons the fake checks setRelaunchData against). */
const MANIFEST = JSON.parse(readFileSync(join(ROOT, 'figma-plugin', 'manifest.template.json'), 'utf8')) as {
  id: string;
  menu: Array<{ command?: string }>;
  relaunchButtons: Array<{ command: string }>;
};

export const loadPluginCode = (): Promise<string> => readFile(join(ROOT, 'figma-plugin', 'dist', 'code.js'), 'utf8');

/** A fake `figma` configured from the manifest (plugin id, relaunch buttons). */
export function newFigma(options: Partial<FakeOptions> = {}): FakeFigma {
  return new FakeFigma({ pluginId: MANIFEST.id, relaunchCommands: MANIFEST.relaunchButtons.map((b) => b.command), ...options });
}

/** A 240×160 rectangle at (10, 20) filled with `bytes` (over a white solid unless `paints` says otherwise). */
export function imageRect(fig: FakeFigma, name: string, bytes: Uint8Array, paint: Partial<ImagePaint> = {}, options: { parent?: FakeNode; under?: Paint[] } = {}): FakeScene {
  const image = fig.createImage(bytes);
  const node = fig.createNode('RECTANGLE', name, options.parent);
  node.resize(240, 160);
  node.x = 10;
  node.y = 20;
  node.fills = [...(options.under ?? [{ type: 'SOLID', color: { r: 1, g: 1, b: 1 } } as SolidPaint]), { type: 'IMAGE', scaleMode: 'FILL', imageHash: image.hash, ...paint } as ImagePaint];
  return node;
}

export const imagePaints = (node: FakeScene): ImagePaint[] => (node.fills as ReadonlyArray<Paint>).filter((p): p is ImagePaint => p.type === 'IMAGE');
/** The paint the user sees: the topmost visible image paint. */
export const shownImage = (node: FakeScene): ImagePaint => imagePaints(node).filter((p) => p.visible !== false).at(-1)!;

export interface PluginUiOptions {
  /** false: the UI never sends `ready` (its script failed to load, review F12). */
  readonly ready?: boolean;
  /** Answer every remove with this output kind whatever was asked (hostile input, review F2). */
  readonly answerOutput?: 'mask' | 'cutout';
  /** Reply to the n-th remove (0-based) with this error code instead of a result. */
  readonly failAt?: { index: number; code: string };
  /** Runs before the n-th remove is answered: the user acting during the run. */
  readonly beforeReply?: (index: number) => void | Promise<void>;
  /** Raw messages sent to the plugin before `ready` (hostile input). */
  readonly hostile?: unknown[];
  /** Decode with the EXIF orientation applied, as browsers do (default true). */
  readonly orient?: boolean;
}

export interface SeenRequest {
  readonly id: string;
  readonly method: string;
  readonly payload: any;
}

const caps = { webgpu: false, shaderF16: false, crossOriginIsolated: false, simd: true, cacheStorage: false, indexedDb: false, secureContext: false };

const DIAGNOSTICS: DiagnosticsResult = {
  origin: 'null', scheme: 'data', secureContext: false, crossOriginIsolated: false, webgpuAdapter: '', shaderF16: false,
  cacheStorage: false, indexedDb: false, helperFrame: false, inference: 'worker', model: '', modelSource: 'none', modelBytes: 0,
  backend: 'none', userAgent: 'scripted',
};

export class PluginUi {
  readonly requests: SeenRequest[] = [];
  /** Plugin messages that did not parse as protocol messages (must stay empty). */
  readonly invalid: string[] = [];
  private removes = 0;
  private waiters: Array<{ method: string; match: (r: SeenRequest) => boolean; resolve: (r: SeenRequest) => void }> = [];

  constructor(
    private readonly fig: FakeFigma,
    private readonly options: PluginUiOptions = {},
  ) {
    fig.ui.uiSide = (raw) => this.receive(raw);
    void fig.whenUiShown().then(() => {
      for (const h of options.hostile ?? []) this.send(h);
      if (options.ready !== false) this.send({ v: 1, kind: 'ready', capabilities: caps });
    });
  }

  /** Resolves with the first request of `method` (already received or still to come) that matches. */
  waitFor(method: string, match: (payload: any) => boolean = () => true): Promise<SeenRequest> {
    const test = (r: SeenRequest): boolean => r.method === method && match(r.payload);
    const seen = this.requests.find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => this.waiters.push({ method, match: test, resolve }));
  }
  /** Resolves with the next panel update (after those already received) that matches. */
  nextPanel(match: (p: PanelPayload) => boolean = () => true): Promise<PanelPayload> {
    const count = this.panels().length;
    return new Promise((resolve) =>
      this.waiters.push({ method: 'panel', match: (r) => r.method === 'panel' && this.panels().length > count && match(r.payload as PanelPayload), resolve: (r) => resolve(r.payload as PanelPayload) }),
    );
  }
  panels(): PanelPayload[] {
    return this.requests.filter((r) => r.method === 'panel').map((r) => r.payload as PanelPayload);
  }
  /** The user presses a panel button in the frame. */
  press(command: string): void {
    this.send({ v: 1, kind: 'command', command });
  }
  send(message: unknown): void {
    this.fig.ui.fromUi(message);
  }

  private receive(raw: unknown): void {
    const parsed = parseHostMessage(raw);
    if (!parsed.ok) {
      this.invalid.push(parsed.reason);
      return;
    }
    const m = parsed.message;
    if (m.kind !== 'request') return;
    const seen: SeenRequest = { id: m.id, method: m.method, payload: m.payload };
    this.requests.push(seen);
    for (const w of this.waiters.filter((x) => x.match(seen))) {
      this.waiters = this.waiters.filter((x) => x !== w);
      w.resolve(seen);
    }
    const ok = (method: string, value: unknown): void => this.send({ v: 1, kind: 'result', id: m.id, result: { method, value } });
    if (m.method === 'configure' || m.method === 'panel') return ok(m.method, { ok: true });
    if (m.method === 'diagnostics') return ok('diagnostics', DIAGNOSTICS);
    if (m.method === 'remove') void this.remove(m.id, m.payload as any, this.removes++);
  }

  private async remove(id: string, payload: any, index: number): Promise<void> {
    await this.options.beforeReply?.(index);
    if (this.options.failAt?.index === index) return this.send({ v: 1, kind: 'error', id, code: this.options.failAt.code, message: `scripted ${this.options.failAt.code}` });
    this.send({ v: 1, kind: 'progress', id, stage: 'inference', fraction: 1 });
    const meta = await sharp(payload.encoded.data).metadata();
    const turned = this.options.orient !== false && (meta.orientation ?? 1) >= 5;
    const [w, h] = turned ? [meta.height!, meta.width!] : [meta.width!, meta.height!];
    const scale = Math.min(1, (payload.maxOutputSide ?? Infinity) / Math.max(w, h));
    const ow = Math.max(1, Math.round(w * scale));
    const oh = Math.max(1, Math.round(h * scale));
    // A disc matte (smaller after a refine, as if strokes removed some): opaque in the middle.
    const rgba = Buffer.alloc(ow * oh * 4, 255);
    const radius = Math.min(ow, oh) / (payload.interactive ? 4 : 3);
    for (let y = 0; y < oh; y++) for (let x = 0; x < ow; x++) rgba[(y * ow + x) * 4 + 3] = Math.hypot(x - ow / 2, y - oh / 2) < radius ? 255 : 0;
    const png = new Uint8Array(await sharp(rgba, { raw: { width: ow, height: oh, channels: 4 } }).png().toBuffer());
    // The frame returns hints only at full size (remove-job.ts).
    const hintsPng = payload.interactive && scale === 1 ? new Uint8Array(await sharp({ create: { width: w, height: h, channels: 3, background: { r: 255, g: 255, b: 255 } } }).png().toBuffer()) : undefined;
    const output = this.options.answerOutput ?? payload.output ?? 'mask';
    this.send({
      v: 1,
      kind: 'result',
      id,
      result: { method: 'remove', value: { png: { data: png, width: ow, height: oh }, ...(hintsPng ? { hintsPng } : {}), output, backend: 'wasm', model: 'scripted', timings: { preprocess: 0, inference: 0, refine: 0, compose: 0 } } },
    });
  }
}

/** Starts `command` on the built plugin with a scripted UI; the document as it is now is the undo baseline. */
export function startPlugin(fig: FakeFigma, code: string, command: string, options: PluginUiOptions = {}): PluginUi {
  fig.command = command;
  fig.commitUndo();
  const ui = new PluginUi(fig, options);
  runPlugin(code, fig);
  return ui;
}

/** Runs a command that closes the plugin when done, and waits for it to close. */
export async function runCommand(fig: FakeFigma, code: string, command: string, options: PluginUiOptions = {}): Promise<PluginUi> {
  const ui = startPlugin(fig, code, command, options);
  await fig.whenClosed();
  return ui;
}
