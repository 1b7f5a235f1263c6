/** @jsxImportSource react */
/** Progress: the model download with its size (first run only), then the model run, then saving. */
import { Button, ProgressBar, Rows, Text } from '@canva/app-ui-kit';
import { useIntl } from 'react-intl';
import { strings } from '../i18n/strings.js';

export interface Working {
  readonly stage: 'preparing' | 'download' | 'inference' | 'uploading';
  readonly index: number;
  readonly total: number;
  readonly loaded: number;
  readonly totalBytes: number;
}

const mb = (bytes: number): string => (bytes / 1e6).toFixed(0);

export function WorkingView({ working, onCancel }: { readonly working: Working; readonly onCancel: () => void }): React.JSX.Element {
  const intl = useIntl();
  const { stage } = working;
  const text =
    stage === 'download'
      ? intl.formatMessage(strings.download, { loaded: mb(working.loaded), total: mb(working.totalBytes) })
      : stage === 'uploading'
        ? intl.formatMessage(strings.uploading)
        : stage === 'inference'
          ? intl.formatMessage(strings.inference, { index: working.index + 1, total: working.total })
          : intl.formatMessage(strings.preparing);
  const value = stage === 'download' && working.totalBytes > 0 ? (100 * working.loaded) / working.totalBytes : (100 * working.index) / Math.max(1, working.total);
  return (
    <div data-testid="cutout-working" data-stage={stage}>
      <Rows spacing="1u">
        <Text>{text}</Text>
        <ProgressBar value={Math.round(value)} ariaLabel={text} />
        <Button variant="secondary" onClick={onCancel}>
          {intl.formatMessage(strings.cancel)}
        </Button>
      </Rows>
    </div>
  );
}
