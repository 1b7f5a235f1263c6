/** @jsxImportSource react */
/**
 * The brush over the selected image (surface `selected_image_overlay`): the image is drawn at its
 * natural size, CSS-scaled to the overlay's box (canva-notes §6); pointer strokes in image pixels
 * go to the brush session. Mode and size come from the panel. On dispose, 'completed' saves and
 * 'aborted' (Discard, or a click outside) drops the strokes. Failures go to the panel, in words.
 */
import { LoadingIndicator } from '@canva/app-ui-kit';
import type { BrushMode } from '@cutout/frame/brush';
import type { CreateEngine } from '@cutout/frame/server';
import { useEffect, useRef, useState } from 'react';
import { useIntl } from 'react-intl';
import { broadcast, launchParams, onDispose, onMessage, watchImageSelection } from '../canva/adapter.js';
import { describeFailure } from '../canva/errors.js';
import { strings } from '../i18n/strings.js';
import { createCanvaEngine, createOverlayEngine, type RuntimeEnvironment } from '../runtime/engine.js';
import { openBrushSession, previewPixels, type BrushSession } from './brush-session.js';
import { parsePanelMessage, type OverlayToPanel } from './messages.js';

const tell = (state: OverlayToPanel['state'], message?: string): void => broadcast({ type: 'cutout.overlay', state, ...(message ? { message } : {}) } satisfies OverlayToPanel);

function initialBrush(): { mode: BrushMode; size: number } {
  const parsed = parsePanelMessage({ type: 'cutout.brush', ...((launchParams() as { brush?: object } | undefined)?.brush ?? {}) });
  return parsed ?? { mode: 'remove', size: 30 };
}

export function OverlayView({ env, createEngine = createCanvaEngine }: { readonly env: RuntimeEnvironment; readonly createEngine?: CreateEngine }): React.JSX.Element {
  const intl = useIntl();
  const canvas = useRef<HTMLCanvasElement>(null);
  const session = useRef<BrushSession | null>(null);
  const brush = useRef(initialBrush());
  const stroke = useRef<[number, number][] | null>(null);
  const [ready, setReady] = useState(false);

  const draw = (s: BrushSession): void => {
    const c = canvas.current;
    const ctx = c?.getContext('2d');
    if (!c || !ctx) return;
    c.width = s.image.width;
    c.height = s.image.height;
    ctx.putImageData(new ImageData(previewPixels(s.image, s.matte()), s.image.width, s.image.height), 0, 0);
  };

  const failure = (e: unknown): string => {
    const f = describeFailure(e);
    return intl.formatMessage(f.message, f.values);
  };

  useEffect(() => {
    const off = onMessage((_sender, raw) => {
      const m = parsePanelMessage(raw);
      if (m) brush.current = { mode: m.mode, size: m.size };
    });
    const engine = createOverlayEngine(env, createEngine);
    const controller = new AbortController();
    tell('loading');
    const stop = watchImageSelection((event) => {
      if (session.current || event.count !== 1) return;
      void event
        .read()
        .then((draft) => openBrushSession(engine, draft, controller.signal))
        .then((s) => {
          session.current = s;
          draw(s);
          setReady(true);
          tell('ready');
        })
        .catch((e: unknown) => {
          if (!controller.signal.aborted) tell('failed', failure(e));
        });
    });
    onDispose(async (reason) => {
      controller.abort();
      const s = session.current;
      try {
        if (reason === 'completed' && s) await s.save(intl.formatMessage(strings.cutoutName));
      } catch (e) {
        // Nothing was replaced; the overlay is going away, so the panel says why.
        tell('failed', failure(e));
      } finally {
        await engine.dispose();
      }
    });
    return () => {
      off();
      stop();
    };
    // Once per overlay process (env and intl do not change while it lives).
  }, []);

  const toImage = (e: React.PointerEvent<HTMLCanvasElement>): [number, number] => {
    const rect = e.currentTarget.getBoundingClientRect();
    const s = session.current;
    if (!s) return [0, 0];
    return [((e.clientX - rect.left) / rect.width) * s.image.width, ((e.clientY - rect.top) / rect.height) * s.image.height];
  };
  const end = async (): Promise<void> => {
    const s = session.current;
    const points = stroke.current;
    stroke.current = null;
    if (!s || !points?.length) return;
    tell('busy');
    const scale = s.image.width / Math.max(1, canvas.current?.getBoundingClientRect().width ?? s.image.width);
    await s.addStroke({ mode: brush.current.mode, radius: (brush.current.size / 2) * scale, points });
    draw(s);
    tell('ready');
  };

  return (
    <div style={{ position: 'absolute', inset: 0 }}>
      {ready ? null : <LoadingIndicator size="medium" />}
      <canvas
        ref={canvas}
        aria-label={intl.formatMessage(strings.refineHelp)}
        style={{ width: '100%', height: '100%', touchAction: 'none', cursor: 'crosshair' }}
        onPointerDown={(e) => {
          e.currentTarget.setPointerCapture(e.pointerId);
          stroke.current = [toImage(e)];
        }}
        onPointerMove={(e) => stroke.current?.push(toImage(e))}
        onPointerUp={() => void end()}
        onPointerCancel={() => void end()}
      />
    </div>
  );
}
