import { useId, type ReactNode } from 'react';

/**
 * Labelled form controls. `error` (a server problem for this field, or a check made before
 * submission) is shown under the control and tied to it with aria-describedby / aria-invalid.
 */
interface Common {
  readonly label: string;
  readonly error?: string | undefined;
  readonly hint?: ReactNode;
  readonly disabled?: boolean;
  readonly required?: boolean;
  /** The input path the server names in its errors (`entra.clientId`); kept as data-field for tests. */
  readonly field?: string;
}

function Described({ id, hint, error }: { id: string; hint?: ReactNode; error?: string | undefined }) {
  return (
    <>
      {hint ? (
        <div className="hint" id={`${id}-hint`}>
          {hint}
        </div>
      ) : null}
      {error ? (
        <div className="field-error" id={`${id}-error`} role="alert">
          {error}
        </div>
      ) : null}
    </>
  );
}

function describedBy(id: string, hint: unknown, error: unknown): string | undefined {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean);
  return ids.length > 0 ? ids.join(' ') : undefined;
}

export function TextField(
  props: Common & {
    readonly value: string;
    onChange(value: string): void;
    readonly type?: 'text' | 'password' | 'url' | 'email' | 'number' | 'datetime-local';
    readonly multiline?: boolean;
    readonly placeholder?: string;
    readonly autoComplete?: string;
    readonly monospace?: boolean;
  },
) {
  const id = useId();
  const common = {
    id,
    value: props.value,
    disabled: props.disabled,
    required: props.required,
    placeholder: props.placeholder,
    'aria-invalid': props.error ? true : undefined,
    'aria-describedby': describedBy(id, props.hint, props.error),
    'data-field': props.field,
    className: props.monospace ? 'mono' : undefined,
    spellCheck: false,
  };
  return (
    <div className={`field${props.error ? ' has-error' : ''}`}>
      <label htmlFor={id}>
        {props.label}
        {props.required ? <span className="required"> (required)</span> : null}
      </label>
      {props.multiline ? (
        <textarea {...common} rows={5} onChange={(e) => props.onChange(e.target.value)} />
      ) : (
        <input
          {...common}
          type={props.type ?? 'text'}
          autoComplete={props.autoComplete ?? 'off'}
          onChange={(e) => props.onChange(e.target.value)}
        />
      )}
      <Described id={id} hint={props.hint} error={props.error} />
    </div>
  );
}

export function SelectField<T extends string>(
  props: Common & {
    readonly value: T;
    onChange(value: T): void;
    readonly options: ReadonlyArray<{ value: T; label: string }>;
  },
) {
  const id = useId();
  return (
    <div className={`field${props.error ? ' has-error' : ''}`}>
      <label htmlFor={id}>{props.label}</label>
      <select
        id={id}
        value={props.value}
        disabled={props.disabled}
        data-field={props.field}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={describedBy(id, props.hint, props.error)}
        onChange={(e) => props.onChange(e.target.value as T)}
      >
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <Described id={id} hint={props.hint} error={props.error} />
    </div>
  );
}

export function CheckboxField(props: Common & { readonly checked: boolean; onChange(checked: boolean): void }) {
  const id = useId();
  return (
    <div className={`field checkbox${props.error ? ' has-error' : ''}`}>
      <input
        id={id}
        type="checkbox"
        checked={props.checked}
        disabled={props.disabled}
        data-field={props.field}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={describedBy(id, props.hint, props.error)}
        onChange={(e) => props.onChange(e.target.checked)}
      />
      <label htmlFor={id}>{props.label}</label>
      <Described id={id} hint={props.hint} error={props.error} />
    </div>
  );
}
