/**
 * "High quality (slower)": the user's choice of the automatic mode's quality, made before a run (it
 * decides how the model runs, so the review cannot change it afterwards). Stored in the frame's
 * state; remove-job.ts uses it unless the host's request names a quality itself.
 */
import type { Quality } from '@cutout/protocol';

export interface QualityChoiceProps {
  readonly quality: Quality;
  /** While a job runs the choice waits for the next one. */
  readonly disabled: boolean;
  readonly onChange: (quality: Quality) => void;
}

const EXPLAINED = 'The model also runs on the mirror image of the photo and the two results are averaged: slightly cleaner edges, about twice the time.';

export function QualityChoice({ quality, disabled, onChange }: QualityChoiceProps) {
  return (
    <label class="check quality" title={EXPLAINED}>
      <input
        type="checkbox"
        data-testid="quality-high"
        checked={quality === 'high'}
        disabled={disabled}
        onChange={(e) => onChange((e.currentTarget as HTMLInputElement).checked ? 'high' : 'standard')}
      />
      High quality (slower)
    </label>
  );
}
