/** @jsxImportSource react */
/** The object panel: Remove background (replace or add), progress, errors, and the brush's controls. */
import { Alert, Button, FormField, Rows, SegmentedControl, Text } from '@canva/app-ui-kit';
import type { BrushMode } from '@cutout/frame/brush';
import type { CreateEngine } from '@cutout/frame/server';
import { useEffect, useRef, useState } from 'react';
import { useIntl } from 'react-intl';
import { broadcast, onDispose, toast } from '../canva/adapter.js';
import { describeFailure, type Failure } from '../canva/errors.js';
import type { WriteMode } from '../canva/canva-port.js';
import { strings } from '../i18n/strings.js';
import { MAX_BRUSH, MIN_BRUSH, type PanelToOverlay } from '../overlay/messages.js';
import { createCanvaEngine, type RuntimeEnvironment } from '../runtime/engine.js';
import { startRemover, type Remover } from '../runtime/remover.js';
import { RefineControls } from './refine-controls.js';
import { runRemoval } from './run-removal.js';
import { useImageSelection } from './use-image-selection.js';
import { WorkingView, type Working } from './working-view.js';

type Notice = { readonly tone: 'critical' | 'warn' | 'positive'; readonly text: string };

export function Panel({ env, createEngine = createCanvaEngine }: { readonly env: RuntimeEnvironment; readonly createEngine?: CreateEngine }): React.JSX.Element {
  const intl = useIntl();
  const t = (m: Parameters<typeof intl.formatMessage>[0], v?: Readonly<Record<string, string | number>>): string => intl.formatMessage(m, v);
  const { state: selection, latest } = useImageSelection();
  const [mode, setMode] = useState<WriteMode>('replace');
  const [working, setWorking] = useState<Working | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [brush, setBrush] = useState<{ mode: BrushMode; size: number }>({ mode: 'remove', size: 30 });
  const remover = useRef<Remover | null>(null);
  const run = useRef<AbortController | null>(null);
  const closed = useRef(false);

  useEffect(() => {
    // Canva closing the panel (setOnDispose) and the view going away end a run the same way:
    // nothing more is uploaded or written, and the model is released.
    const close = async (): Promise<void> => {
      closed.current = true;
      run.current?.abort();
      const r = remover.current;
      remover.current = null;
      await r?.dispose();
    };
    closed.current = false;
    onDispose(close);
    return () => void close();
  }, []);
  useEffect(() => broadcast({ type: 'cutout.brush', mode: brush.mode, size: brush.size } satisfies PanelToOverlay), [brush]);

  const count = selection.event?.count ?? 0;
  const start = async (): Promise<void> => {
    const event = selection.event;
    if (!event || event.count === 0 || working) return;
    setNotice(null);
    setWorking({ stage: 'preparing', index: 0, total: event.count, loaded: 0, totalBytes: 0 });
    const controller = new AbortController();
    run.current = controller;
    const version = latest.current.version;
    try {
      const draft = await event.read();
      remover.current ??= startRemover(env, createEngine);
      const off = remover.current.store.subscribe((s) => {
        if (s.stage === 'download') setWorking((w) => w && { ...w, stage: 'download', loaded: s.loadedBytes, totalBytes: s.totalBytes });
      });
      const { outcome, downscaled } = await runRemoval({
        remover: remover.current,
        draft,
        mode,
        t,
        imageName: (i) => (draft.contents.length > 1 ? `${t(strings.cutoutName)} ${i + 1}` : t(strings.cutoutName)),
        isStale: () => latest.current.version !== version,
        isClosed: () => closed.current,
        signal: controller.signal,
        onProgress: (p) => setWorking((w) => w && { ...w, index: p.index, total: p.total, stage: p.stage === 'download' ? 'download' : p.stage === 'compose' || p.stage === 'done' ? 'uploading' : 'inference' }),
      }).finally(off);
      const reasons = outcome.skipped.map((s) => `${s.name}: ${s.reason}`).join('; ');
      if (outcome.status === 'failed') setNotice({ tone: 'critical', text: t(strings.generic, { detail: outcome.error?.message ?? outcome.status }) });
      else if (outcome.status !== 'done') setNotice(null);
      else if (outcome.written === 0) setNotice({ tone: 'critical', text: t(strings.nothingChanged, { reasons }) });
      else {
        await toast(t(strings.done, { count: outcome.written }));
        const size = downscaled[0];
        if (size) setNotice({ tone: 'warn', text: t(strings.downscaled, { width: size.width, height: size.height }) });
        else if (outcome.skipped.length) setNotice({ tone: 'warn', text: t(strings.skipped, { count: outcome.skipped.length, reasons }) });
      }
    } catch (e) {
      const f: Failure = describeFailure(e);
      setNotice({ tone: f.tone, text: t(f.message, f.values) });
    } finally {
      run.current = null;
      setWorking(null);
    }
  };

  return (
    <div style={{ padding: '16px' }}>
      <Rows spacing="2u">
        <Text>{t(strings.title)}</Text>
        {count === 0 ? <Text>{t(strings.selectImage)}</Text> : <Text>{t(strings.selectedCount, { count })}</Text>}
        <FormField
          label={t(strings.modeLabel)}
          value={mode}
          control={(props) => (
            <SegmentedControl<WriteMode>
              {...props}
              options={[
                { value: 'replace', label: t(strings.modeReplace) },
                { value: 'add', label: t(strings.modeAdd) },
              ]}
              onChange={setMode}
            />
          )}
        />
        <Button variant="primary" stretch disabled={count === 0 || working != null} loading={working != null} onClick={() => void start()}>
          {t(strings.remove)}
        </Button>
        {working ? <WorkingView working={working} onCancel={() => run.current?.abort()} /> : null}
        {notice ? (
          <Alert tone={notice.tone} onDismiss={() => setNotice(null)}>
            {notice.text}
          </Alert>
        ) : null}
        <RefineControls disabled={working != null} brush={brush} onBrush={setBrush} min={MIN_BRUSH} max={MAX_BRUSH} />
      </Rows>
    </div>
  );
}
