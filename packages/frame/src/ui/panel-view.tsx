/** A host's panel (Figma keeps the frame open on the selection): a status line and its commands. */
import type { PanelPayload } from '@cutout/protocol';

export interface PanelViewProps {
  readonly panel: PanelPayload;
  /** While a job runs the commands wait: the host acts on one job at a time. */
  readonly busy: boolean;
  readonly onCommand: (command: string) => void;
}

export function PanelView({ panel, busy, onCommand }: PanelViewProps) {
  return (
    <section class="panel" aria-label="Actions" data-testid="panel">
      <p class="status" data-testid="panel-status" aria-live="polite">
        {panel.status}
      </p>
      {panel.commands.length > 0 && (
        <div class="row">
          {panel.commands.map((c, i) => (
            <button key={c.id} type="button" class={i === 0 ? 'primary' : undefined} data-command={c.id} disabled={busy || !c.enabled} onClick={() => onCommand(c.id)}>
              {c.label}
            </button>
          ))}
        </div>
      )}
    </section>
  );
}
