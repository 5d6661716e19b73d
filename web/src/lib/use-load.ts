/**
 * Loading data for a page section: `data` once loaded, `error` when it failed, `loading`
 * while a request runs (also on reload, keeping the old data on screen), and `reload()`.
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

export interface Load<T> {
  data: T | undefined;
  error: Error | undefined;
  loading: boolean;
  reload: () => Promise<void>;
}

/** @example const users = useLoad(() => api<{ users: User[] }>('/admin/users')); */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[] = []): Load<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<Error>();
  const [loading, setLoading] = useState(true);
  const generation = useRef(0);
  const reload = useCallback(async () => {
    const mine = ++generation.current;
    setLoading(true);
    try {
      const value = await load();
      if (mine === generation.current) { setData(value); setError(undefined); }
    } catch (e) {
      if (mine === generation.current) setError(e as Error);
    } finally {
      if (mine === generation.current) setLoading(false);
    }
  }, deps);
  useEffect(() => { void reload(); }, [reload]);
  return { data, error, loading, reload };
}
