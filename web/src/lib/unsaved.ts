/**
 * The editors' guard around unsaved work: the browser asks before the page is closed or
 * left while `hasUnsaved()` is true.
 *
 * @example useUnsavedWarning(() => drafts.current.size > 0);
 */
import { useEffect } from 'preact/hooks';

export function useUnsavedWarning(hasUnsaved: () => boolean): void {
  useEffect(() => {
    const beforeUnload = (event: BeforeUnloadEvent) => {
      if (hasUnsaved()) { event.preventDefault(); event.returnValue = ''; }
    };
    window.addEventListener('beforeunload', beforeUnload);
    return () => window.removeEventListener('beforeunload', beforeUnload);
  }, []);
}
