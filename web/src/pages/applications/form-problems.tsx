import { useCallback, useEffect, useState, type RefObject } from 'react';
import { formProblems } from './validation';

/** Above a form: what the server refused that is not shown next to a field, or where to look. */
export function FormProblems({ error, placed }: { error: unknown; placed: readonly string[] }) {
  const lines = formProblems(error, placed);
  if (lines.length === 0) return null;
  return (
    <div className="notice error" role="alert">
      {lines.map((line, i) => (
        <p key={i}>{line}</p>
      ))}
    </div>
  );
}

/**
 * After a refused submission, focus the first control marked invalid: `request()` asks for it, and
 * it happens once React has rendered the errors.
 */
export function useFocusFirstInvalid(form: RefObject<HTMLElement>): () => void {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (tick === 0) return;
    form.current?.querySelector<HTMLElement>('[aria-invalid="true"], .has-error input')?.focus();
  }, [tick, form]);
  return useCallback(() => setTick((t) => t + 1), []);
}
