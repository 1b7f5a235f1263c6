/**
 * "Diagnostics" at the bottom of the frame: what this host's frame can do, in plain words, with
 * Copy. Figma's iframe may deny the clipboard API, so Copy falls back to selecting the text for
 * the user to copy by hand.
 */
import type { DiagnosticsResult } from '@cutout/protocol';
import { useRef, useState } from 'preact/hooks';
import { diagnosticsLines, diagnosticsText } from '../diagnostics.js';

type CopyState = 'idle' | 'copied' | 'selected';

async function writeClipboard(text: string): Promise<boolean> {
  try {
    const clipboard = (globalThis.navigator as Navigator | undefined)?.clipboard;
    if (!clipboard) return false;
    await clipboard.writeText(text);
    return true;
  } catch {
    return false; // denied by the host's permissions policy: the user copies the selection by hand
  }
}

export function DiagnosticsView({ read }: { read: () => DiagnosticsResult }) {
  const [open, setOpen] = useState(false);
  const [copy, setCopy] = useState<CopyState>('idle');
  const area = useRef<HTMLTextAreaElement>(null);
  // Read on every render while open: the model loaded and its source change during the session.
  const facts = open ? read() : null;
  const text = facts ? diagnosticsText(facts) : '';

  const onCopy = async (): Promise<void> => {
    if (await writeClipboard(text)) return setCopy('copied');
    area.current?.focus();
    area.current?.select();
    setCopy('selected');
  };

  return (
    <details class="diagnostics" data-testid="diagnostics" onToggle={(e) => setOpen((e.currentTarget as HTMLDetailsElement).open)}>
      <summary>Diagnostics</summary>
      {facts && (
        <div class="diagnostics-body">
          <dl>
            {diagnosticsLines(facts).map(([k, v]) => (
              <div key={k} class="fact">
                <dt>{k}</dt>
                <dd>{v}</dd>
              </div>
            ))}
          </dl>
          <textarea ref={area} readOnly rows={3} aria-label="Diagnostics as text" data-testid="diagnostics-text" value={text} />
          <div class="row">
            <button type="button" data-testid="diagnostics-copy" onClick={() => void onCopy()}>
              Copy
            </button>
            <span class="status" aria-live="polite">
              {copy === 'copied' ? 'Copied.' : copy === 'selected' ? 'Selected: press Ctrl+C (⌘C on a Mac) to copy.' : ''}
            </span>
          </div>
        </div>
      )}
    </details>
  );
}
