import { useEffect, useRef } from 'react';
import { useApp } from '../store/store-context';
import type { FocusTarget } from '../store/ui-slice';

/**
 * Takes the focus for `target` when an action asked for it (store/ui-slice.ts FocusRequest):
 * on the next render if the element is on the page, or as soon as it mounts. Give the element
 * `tabIndex={-1}` when it is not focusable by itself (a heading, a message).
 */
export function useFocusTarget<E extends HTMLElement>(target: FocusTarget) {
  const ref = useRef<E>(null);
  const request = useApp((state) => (state.focusRequest?.target === target ? state.focusRequest : null));
  const focusTaken = useApp((state) => state.focusTaken);
  useEffect(() => {
    if (!request || !ref.current) return;
    ref.current.focus();
    focusTaken(request.id);
  }, [request, focusTaken]);
  return ref;
}
