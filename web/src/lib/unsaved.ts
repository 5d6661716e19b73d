/**
 * The editors' guards around unsaved work: the browser asks before the page is closed or
 * left while `hasUnsaved()` is true; and a user id shown as the user's name in version lists.
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

/** A user's name from a loaded list, else the start of their id ("unknown" for none). */
export function userNameIn(users: Array<{ id: string; username: string }> | null | undefined, id: string | null): string {
  return id ? users?.find((u) => u.id === id)?.username ?? id.slice(0, 8) : 'unknown';
}
