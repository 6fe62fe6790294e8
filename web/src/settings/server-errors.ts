import { useCallback, useState } from 'react';
import { GraphQLFailure } from '../graphql/client';
import type { FieldErrors } from './validate';

/** The value at an input path such as `entra.clientId` or `username.replace[0].pattern`. */
export function valueAt(input: unknown, path: string): unknown {
  let value: unknown = input;
  for (const segment of path.match(/[^.[\]]+/g) ?? []) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}

/**
 * The field errors of the server's last refusal, each shown next to its field until that field's
 * value changes (the input they were about is kept to tell).
 */
export function useServerErrors() {
  const [refusal, setRefusal] = useState<{ errors: FieldErrors; input: Record<string, unknown> } | null>(null);
  const record = useCallback((error: unknown, input: Record<string, unknown>): FieldErrors => {
    const errors = error instanceof GraphQLFailure ? error.byField() : {};
    setRefusal(Object.keys(errors).length > 0 ? { errors, input } : null);
    return errors;
  }, []);
  const clear = useCallback(() => setRefusal(null), []);
  const visible = (current: Record<string, unknown>): FieldErrors => {
    if (!refusal) return {};
    const shown: FieldErrors = {};
    for (const [path, message] of Object.entries(refusal.errors))
      if (JSON.stringify(valueAt(refusal.input, path)) === JSON.stringify(valueAt(current, path)))
        shown[path] = message;
    return shown;
  };
  return { record, clear, visible };
}

/** Moves focus to the control of an input path (after the step holding it has rendered). */
export function focusField(path: string): void {
  requestAnimationFrame(() => {
    // `google.orgUnits[1]` is shown at `google.orgUnits`: try the path, then its parents.
    let control: HTMLElement | null = null;
    let candidate = path;
    while (!control && candidate !== '') {
      control = document.querySelector<HTMLElement>(`[data-field="${CSS.escape(candidate)}"]`);
      const parent = candidate.replace(/(\.[^.[\]]+|\[\d+\])$/, '');
      candidate = parent === candidate ? '' : parent;
    }
    if (!control) return;
    const details = control.closest('details');
    if (details && !details.open) details.open = true;
    const target = control.matches('fieldset') ? control.querySelector<HTMLElement>('input') : control;
    target?.focus();
  });
}
