/**
 * Refine: opens the brush overlay on the selected image (when Canva says it can open) and sets
 * its mode and size; Save / Discard close it with reason 'completed' / 'aborted'.
 */
import { Button, FormField, Rows, SegmentedControl, Slider, Text } from '@canva/app-ui-kit';
import type { BrushMode } from '@cutout/frame/brush';
import { useEffect, useState } from 'react';
import { useIntl } from 'react-intl';
import { closeProcess, watchOverlay, watchProcess, type AppProcessId, type OverlayAvailability } from '../canva/adapter.js';
import { strings } from '../i18n/strings.js';

interface Props {
  readonly disabled: boolean;
  readonly brush: { readonly mode: BrushMode; readonly size: number };
  readonly onBrush: (brush: { mode: BrushMode; size: number }) => void;
  readonly min: number;
  readonly max: number;
}

export function RefineControls({ disabled, brush, onBrush, min, max }: Props): React.JSX.Element {
  const intl = useIntl();
  const [availability, setAvailability] = useState<OverlayAvailability>({ canOpen: false, reason: 'no_selection' });
  const [overlay, setOverlay] = useState<AppProcessId | null>(null);
  useEffect(() => watchOverlay(setAvailability), []);
  useEffect(() => (overlay ? watchProcess(overlay, (state) => state === 'closed' && setOverlay(null)) : undefined), [overlay]);

  const open = async (): Promise<void> => {
    if (!availability.canOpen) return;
    setOverlay(await availability.open({ brush }));
  };
  const close = (reason: 'completed' | 'aborted'): void => {
    if (overlay) void closeProcess(overlay, reason);
  };
  if (!overlay) {
    return (
      <Button variant="secondary" stretch disabled={disabled || !availability.canOpen} onClick={() => void open()}>
        {intl.formatMessage(strings.refine)}
      </Button>
    );
  }
  return (
    <Rows spacing="2u">
      <Text>{intl.formatMessage(strings.refineHelp)}</Text>
      <FormField
        label={intl.formatMessage(strings.brushMode)}
        value={brush.mode}
        control={(props) => (
          <SegmentedControl<BrushMode>
            {...props}
            options={[
              { value: 'keep', label: intl.formatMessage(strings.brushKeep) },
              { value: 'remove', label: intl.formatMessage(strings.brushRemove) },
            ]}
            onChange={(mode) => onBrush({ ...brush, mode })}
          />
        )}
      />
      <FormField
        label={intl.formatMessage(strings.brushSize)}
        value={brush.size}
        control={(props) => <Slider id={props.id} min={min} max={max} value={brush.size} onChange={(size) => onBrush({ ...brush, size })} />}
      />
      <Button variant="primary" stretch onClick={() => close('completed')}>
        {intl.formatMessage(strings.save)}
      </Button>
      <Button variant="secondary" stretch onClick={() => close('aborted')}>
        {intl.formatMessage(strings.discard)}
      </Button>
    </Rows>
  );
}
