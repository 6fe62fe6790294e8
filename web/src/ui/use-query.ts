import { useCallback, useEffect, useRef, useState } from 'react';
import { request } from '../graphql/client';

export interface QueryState<T> {
  readonly data: T | undefined;
  readonly error: unknown;
  readonly loading: boolean;
  /** Runs the query again; the previous data stays on screen until the answer arrives. */
  reload(): void;
}

/**
 * Runs a query when the component mounts and whenever `variables` change (compared as JSON);
 * an answer that arrives after a newer request started is dropped.
 */
export function useQuery<T>(query: string, variables: Record<string, unknown> = {}, skip = false): QueryState<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [loading, setLoading] = useState(!skip);
  const [generation, setGeneration] = useState(0);
  const latest = useRef(0);
  const key = JSON.stringify(variables);

  useEffect(() => {
    if (skip) return;
    const ticket = ++latest.current;
    const controller = new AbortController();
    setLoading(true);
    request<T>(query, JSON.parse(key) as Record<string, unknown>, { signal: controller.signal })
      .then((answer) => {
        if (ticket !== latest.current) return;
        setData(answer);
        setError(undefined);
      })
      .catch((e: unknown) => {
        if (ticket === latest.current && !controller.signal.aborted) setError(e);
      })
      .finally(() => {
        if (ticket === latest.current) setLoading(false);
      });
    return () => controller.abort();
  }, [query, key, skip, generation]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { data, error, loading, reload };
}

/** A mutation (or an on-demand query): `run` answers the data or throws; `busy` and `error` for the UI. */
export function useAction<A extends unknown[], T>(action: (...args: A) => Promise<T>) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const run = useCallback(
    async (...args: A): Promise<T | undefined> => {
      setBusy(true);
      setError(undefined);
      try {
        return await action(...args);
      } catch (e) {
        setError(e);
        return undefined;
      } finally {
        setBusy(false);
      }
    },
    [action],
  );
  return { run, busy, error, setError };
}
