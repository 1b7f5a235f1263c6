/** @jsxImportSource react */
/**
 * Refine: opens the brush overlay on the selected image (when Canva says it can open) and sets
 * its mode and size; Save / Discard close it with reason 'completed' / 'aborted'. What the overlay
 * reports is shown here: "preparing" while it loads, and why it failed (also after it closed: a
 * refused save is only known while the overlay closes).
 */
import { Alert, Button, FormField, Rows, SegmentedControl, Slider, Text } from '@canva/app-ui-kit';
import type { BrushMode } from '@cutout/frame/brush';
import { useEffect, useState } from 'react';
import { useIntl } from 'react-intl';
import { closeProcess, onMessage, watchOverlay, watchProcess, type AppProcessId, type OverlayAvailability } from '../canva/adapter.js';
import { strings } from '../i18n/strings.js';
import { parseOverlayMessage, type OverlayToPanel } from '../overlay/messages.js';

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
  const [status, setStatus] = useState<OverlayToPanel | null>(null);
  useEffect(() => watchOverlay(setAvailability), []);
  useEffect(() => (overlay ? watchProcess(overlay, (state) => state === 'closed' && setOverlay(null)) : undefined), [overlay]);
  useEffect(() => onMessage((_sender, raw) => setStatus((prev) => parseOverlayMessage(raw) ?? prev)), []);

  const open = async (): Promise<void> => {
    if (!availability.canOpen) return;
    setStatus(null);
    setOverlay(await availability.open({ brush }));
  };
  const close = (reason: 'completed' | 'aborted'): void => {
    if (overlay) void closeProcess(overlay, reason);
  };
  const failed =
    status?.state === 'failed' ? (
      <Alert tone="critical" onDismiss={() => setStatus(null)}>
        {status.message ?? intl.formatMessage(strings.generic, { detail: intl.formatMessage(strings.refine) })}
      </Alert>
    ) : null;
  if (!overlay) {
    return (
      <Rows spacing="2u">
        {failed}
        <Button variant="secondary" stretch disabled={disabled || !availability.canOpen} onClick={() => void open()}>
          {intl.formatMessage(strings.refine)}
        </Button>
      </Rows>
    );
  }
  return (
    <Rows spacing="2u">
      {failed}
      {status?.state === 'loading' ? <Text>{intl.formatMessage(strings.overlayLoading)}</Text> : null}
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
        control={({ id }: { readonly id: string }) => <Slider id={id} min={min} max={max} value={brush.size} onChange={(size) => onBrush({ ...brush, size })} />}
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
