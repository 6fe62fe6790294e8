import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import type { Draft, StoredSecrets } from './draft';
import type { FieldErrors } from './validate';

/** What every settings section gets: the draft, a way to change it, the errors by input path. */
export interface SectionProps {
  readonly draft: Draft;
  update(change: (draft: Draft) => Draft): void;
  readonly errors: FieldErrors;
  /** Editing a stored directory: which secrets the server holds (inputs left empty keep them). */
  readonly stored?: StoredSecrets | undefined;
  /** Read-only (a directory managed in crowdgate.yaml). */
  readonly readOnly?: boolean | undefined;
}

/** The errors under a list's path (`localGroups[2]`, `filters.attributes[0].name`) that no row shows. */
export function listError(errors: FieldErrors, path: string): string | undefined {
  return errors[path];
}

/** The hint of a write-only secret: in memory only while typing, or stored on the server when editing. */
export function secretHint(stored: boolean | undefined, what: ReactNode): ReactNode {
  return stored ? (
    <>
      <strong>Stored — leave empty to keep.</strong> {what}
    </>
  ) : (
    <>
      {what} Secrets stay in this page&apos;s memory only (never in the browser&apos;s storage): a reload forgets them.
    </>
  );
}

/** A group of radio buttons in a fieldset with its legend. */
export function RadioGroup<T extends string>(props: {
  legend: string;
  name: string;
  value: T;
  options: ReadonlyArray<{ value: T; label: string; hint?: string }>;
  onChange(value: T): void;
  disabled?: boolean | undefined;
  field?: string;
}) {
  const id = useId();
  return (
    <fieldset className="radio-group" data-field={props.field}>
      <legend>{props.legend}</legend>
      {props.options.map((o) => (
        <div key={o.value} className="radio">
          <input
            type="radio"
            id={`${id}-${o.value}`}
            name={`${props.name}-${id}`}
            value={o.value}
            checked={props.value === o.value}
            disabled={props.disabled}
            aria-describedby={o.hint ? `${id}-${o.value}-hint` : undefined}
            onChange={() => props.onChange(o.value)}
          />
          <label htmlFor={`${id}-${o.value}`}>{o.label}</label>
          {o.hint ? (
            <div className="hint" id={`${id}-${o.value}-hint`}>
              {o.hint}
            </div>
          ) : null}
        </div>
      ))}
    </fieldset>
  );
}

/** A file picker whose text is handed to `onText` (read in the browser with FileReader; nothing is uploaded). */
export function FileTextField(props: {
  label: string;
  accept: string;
  hint?: ReactNode;
  disabled?: boolean | undefined;
  onText(text: string, fileName: string): void;
  onError(message: string): void;
}) {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const read = (file: File) => {
    const reader = new FileReader();
    reader.onload = () => props.onText(String(reader.result ?? ''), file.name);
    reader.onerror = () => props.onError(`${file.name} could not be read`);
    reader.readAsText(file);
  };
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <input
        ref={input}
        id={id}
        type="file"
        accept={props.accept}
        disabled={props.disabled}
        aria-describedby={props.hint ? `${id}-hint` : undefined}
        onChange={(e) => {
          const file = e.target.files?.[0];
          if (file) read(file);
        }}
      />
      {props.hint ? (
        <div className="hint" id={`${id}-hint`}>
          {props.hint}
        </div>
      ) : null}
    </div>
  );
}

/** Updates one item of a list immutably. */
export function replaceAt<T>(list: readonly T[], index: number, item: T): T[] {
  return list.map((existing, i) => (i === index ? item : existing));
}

export function removeAt<T>(list: readonly T[], index: number): T[] {
  return list.filter((_, i) => i !== index);
}

/** A <details> section that opens by itself when an error names one of its fields. */
export function Advanced(props: { summary: string; errors: FieldErrors; paths: RegExp; children: ReactNode }) {
  const [open, setOpen] = useState(false);
  const hasError = Object.keys(props.errors).some((path) => props.paths.test(path));
  useEffect(() => {
    if (hasError) setOpen(true);
  }, [hasError]);
  return (
    <details className="advanced" open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>{props.summary}</summary>
      {props.children}
    </details>
  );
}
