/** The current image selection as React state; `version` grows with every change (stale-draft checks). */
import { useEffect, useRef, useState } from 'react';
import { watchImageSelection, type ImageSelectionEvent } from '../canva/adapter.js';

export interface SelectionState {
  readonly event: ImageSelectionEvent | null;
  readonly version: number;
}

export function useImageSelection(): { state: SelectionState; latest: React.RefObject<SelectionState> } {
  const [state, setState] = useState<SelectionState>({ event: null, version: 0 });
  const latest = useRef<SelectionState>(state);
  useEffect(
    () =>
      watchImageSelection((event) =>
        setState((prev) => {
          const next = { event, version: prev.version + 1 };
          latest.current = next;
          return next;
        }),
      ),
    [],
  );
  return { state, latest };
}
