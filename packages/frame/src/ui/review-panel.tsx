/** Review controls: view, background, brush, edge controls, output choice, apply / cancel. */
import type { EdgeControls } from '@cutout/core';
import type { BackgroundChoice, ReviewController, ReviewState } from './review-controller.js';
import { PreviewCanvas } from './preview-canvas.js';

const BACKGROUNDS: ReadonlyArray<[BackgroundChoice, string]> = [
  ['checker', 'Checkerboard'],
  ['white', 'White'],
  ['black', 'Black'],
  ['custom', 'Colour'],
];

function Slider(props: { id: string; label: string; min: number; max: number; step: number; value: number; onInput: (v: number) => void }) {
  return (
    <label class="slider" for={props.id}>
      <span>{props.label}</span>
      <input
        id={props.id}
        type="range"
        min={props.min}
        max={props.max}
        step={props.step}
        value={props.value}
        onChange={(e) => props.onInput(Number((e.currentTarget as HTMLInputElement).value))}
      />
      <output for={props.id}>{props.value}</output>
    </label>
  );
}

export function ReviewPanel({ controller, state }: { controller: ReviewController; state: ReviewState }) {
  const { edge, output, view, background, customColour, brushMode, brushSize, strokes, solving, solveError } = state;
  const setEdge = (patch: EdgeControls): void => controller.setEdge({ ...edge, ...patch });
  return (
    <section class="review" aria-label="Review the cut-out">
      <PreviewCanvas controller={controller} state={state} />
      <div class="row" role="group" aria-label="Preview">
        <button type="button" aria-pressed={view === 'before'} onClick={() => controller.set({ view: view === 'after' ? 'before' : 'after' })}>
          {view === 'after' ? 'Show original' : 'Show cut-out'}
        </button>
        <span class="status" aria-live="polite">{solving ? 'Updating…' : solveError ? `Could not update: ${solveError}` : ''}</span>
      </div>
      <fieldset class="row">
        <legend>Background</legend>
        {BACKGROUNDS.map(([value, label]) => (
          <label key={value} class="chip">
            <input type="radio" name="background" value={value} checked={background === value} onChange={() => controller.set({ background: value })} />
            {label}
          </label>
        ))}
        <input type="color" aria-label="Custom background colour" value={customColour} onInput={(e) => controller.set({ background: 'custom', customColour: (e.currentTarget as HTMLInputElement).value })} />
      </fieldset>
      <fieldset class="row">
        <legend>Brush (paint on the preview)</legend>
        <button type="button" data-testid="brush-keep" aria-pressed={brushMode === 'keep'} onClick={() => controller.set({ brushMode: 'keep' })} title="Keep (K)">Keep</button>
        <button type="button" data-testid="brush-remove" aria-pressed={brushMode === 'remove'} onClick={() => controller.set({ brushMode: 'remove' })} title="Remove (R)">Remove</button>
        <Slider id="brush-size" label="Size" min={2} max={60} step={1} value={brushSize} onInput={(v) => controller.set({ brushSize: v })} />
        <button type="button" data-testid="undo" disabled={strokes.length === 0} onClick={() => controller.undo()} title="Undo stroke (Ctrl/⌘ Z)">
          Undo ({strokes.length})
        </button>
      </fieldset>
      <fieldset class="row">
        <legend>Edge</legend>
        <Slider id="edge-feather" label="Feather" min={0} max={20} step={0.5} value={edge.feather ?? 0} onInput={(v) => setEdge({ feather: v })} />
        <Slider id="edge-shift" label="Shift" min={-20} max={20} step={0.5} value={edge.shift ?? 0} onInput={(v) => setEdge({ shift: v })} />
        <Slider id="edge-smooth" label="Smooth" min={0} max={20} step={0.5} value={edge.smooth ?? 0} onInput={(v) => setEdge({ smooth: v })} />
        <label class="check">
          <input type="checkbox" checked={edge.hard === true} onChange={(e) => setEdge({ hard: (e.currentTarget as HTMLInputElement).checked })} />
          Hard edge (logos, products)
        </label>
      </fieldset>
      {state.job?.fixedOutput ? (
        // The host writes back into what exists (a refine): its kind is not the user's to change.
        <p class="status" data-testid="output-fixed">
          Result: {output === 'mask' ? 'editable mask' : 'masked layer'} (as before)
        </p>
      ) : (
        <fieldset class="row" data-testid="output-choice">
          <legend>Result</legend>
          <label class="chip">
            <input type="radio" name="output" value="mask" checked={output === 'mask'} onChange={() => controller.set({ output: 'mask' })} />
            Editable mask
          </label>
          <label class="chip">
            <input type="radio" name="output" value="cutout" checked={output === 'cutout'} onChange={() => controller.set({ output: 'cutout' })} />
            Masked layer
          </label>
        </fieldset>
      )}
      <div class="actions">
        <button type="button" data-testid="cancel" onClick={() => controller.cancel()} title="Esc">Cancel</button>
        <button type="button" data-testid="apply" class="primary" disabled={solving} onClick={() => controller.apply()} title="Enter">
          Apply
        </button>
      </div>
    </section>
  );
}
