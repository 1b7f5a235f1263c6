/** The before/after preview with the brush: pointer strokes in preview pixels become image-pixel strokes. */
import { useEffect, useMemo, useRef } from 'preact/hooks';
import type { ReviewController, ReviewState } from './review-controller.js';
import { previewGeometry, renderPreview, sampleIndex } from './preview.js';

export function PreviewCanvas({ controller, state }: { controller: ReviewController; state: ReviewState }) {
  const { job, matte, view, background, customColour, brushMode, brushSize } = state;
  const canvas = useRef<HTMLCanvasElement>(null);
  const overlay = useRef<HTMLCanvasElement>(null);
  const stroke = useRef<Array<[number, number]> | null>(null);
  const geometry = useMemo(() => (job ? previewGeometry(job.image.width, job.image.height) : null), [job]);
  const index = useMemo(() => (job && geometry ? sampleIndex(geometry, job.image.width, job.image.height) : null), [job, geometry]);

  useEffect(() => {
    const el = canvas.current;
    if (!el || !job || !geometry || !index) return;
    const ctx = el.getContext('2d');
    if (!ctx) return;
    const pixels = ctx.createImageData(geometry.width, geometry.height);
    renderPreview(job.image, view === 'after' ? matte : null, index, pixels.data);
    ctx.putImageData(pixels, 0, 0);
  }, [job, matte, view, geometry, index]);

  if (!job || !geometry) return null;

  const toPreview = (e: PointerEvent): [number, number] => {
    const el = overlay.current as HTMLCanvasElement;
    const rect = el.getBoundingClientRect();
    return [((e.clientX - rect.left) / rect.width) * geometry.width, ((e.clientY - rect.top) / rect.height) * geometry.height];
  };
  const drawDot = (x: number, y: number): void => {
    const ctx = overlay.current?.getContext('2d');
    if (!ctx) return;
    ctx.fillStyle = brushMode === 'keep' ? 'rgba(40, 200, 90, 0.45)' : 'rgba(230, 60, 60, 0.45)';
    ctx.beginPath();
    ctx.arc(x, y, brushSize, 0, Math.PI * 2);
    ctx.fill();
  };
  const onDown = (e: PointerEvent): void => {
    if (e.button !== 0) return;
    (e.currentTarget as Element).setPointerCapture(e.pointerId);
    const p = toPreview(e);
    stroke.current = [p];
    drawDot(p[0], p[1]);
  };
  const onMove = (e: PointerEvent): void => {
    if (!stroke.current) return;
    const p = toPreview(e);
    stroke.current.push(p);
    drawDot(p[0], p[1]);
  };
  const onUp = (): void => {
    const points = stroke.current;
    stroke.current = null;
    overlay.current?.getContext('2d')?.clearRect(0, 0, geometry.width, geometry.height);
    if (!points || points.length === 0) return;
    const s = geometry.scale;
    controller.addStroke({ mode: brushMode, radius: brushSize * s, points: points.map(([x, y]) => [x * s, y * s] as const) });
  };

  const bg = background === 'custom' ? { background: customColour } : undefined;
  return (
    <div class={`preview bg-${background}`} style={bg}>
      <div class="preview-stack">
        <canvas ref={canvas} width={geometry.width} height={geometry.height} class="preview-image" aria-label={view === 'after' ? 'Cut-out preview' : 'Original image'} />
        <canvas
          ref={overlay}
          width={geometry.width}
          height={geometry.height}
          class={`preview-brush brush-${brushMode}`}
          data-testid="brush-canvas"
          aria-label={`Brush: paint to ${brushMode} areas`}
          onPointerDown={onDown}
          onPointerMove={onMove}
          onPointerUp={onUp}
          onPointerCancel={onUp}
        />
      </div>
    </div>
  );
}
