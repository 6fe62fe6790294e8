import { useId } from 'react';
import { CheckboxField, TextField } from '../../ui/field';

/**
 * The settings an application form edits besides its name and password: the client addresses it
 * may call from, and the directories it sees (checkboxes, in precedence order).
 */
export interface ApplicationSettings {
  /** One CIDR per line; empty means loopback only (on create). */
  readonly addresses: string;
  /** Ticked directories, in the order the application sees them. */
  readonly directories: readonly string[];
}

/**
 * The directories to offer, in order: the application's own (in its order) first, then the others
 * in crowdgate's precedence order. Ticking one adds it at its place in this list.
 */
export function directoryChoices(all: readonly string[], current: readonly string[]): string[] {
  const known = new Set(current.map((d) => d.toLowerCase()));
  return [...current, ...all.filter((d) => !known.has(d.toLowerCase()))];
}

export function ApplicationFields({
  value,
  onChange,
  allDirectories,
  current = [],
  errors,
  disabled,
  creating,
}: {
  readonly value: ApplicationSettings;
  onChange(value: ApplicationSettings): void;
  /** Every directory of crowdgate, in precedence order. */
  readonly allDirectories: readonly string[];
  /** The application's directories now (edit), kept in their order. */
  readonly current?: readonly string[];
  readonly errors: { addresses?: string | undefined; directories?: string | undefined };
  readonly disabled?: boolean;
  readonly creating?: boolean;
}) {
  const legendId = useId();
  const choices = directoryChoices(allDirectories, current);
  const ticked = new Set(value.directories.map((d) => d.toLowerCase()));
  const toggle = (name: string, on: boolean) => {
    const next = new Set(ticked);
    if (on) next.add(name.toLowerCase());
    else next.delete(name.toLowerCase());
    onChange({ ...value, directories: choices.filter((d) => next.has(d.toLowerCase())) });
  };
  return (
    <>
      <TextField
        label="Allowed addresses"
        field="allowedAddresses"
        multiline
        monospace
        value={value.addresses}
        onChange={(addresses) => onChange({ ...value, addresses })}
        disabled={disabled}
        error={errors.addresses}
        placeholder={'10.20.0.0/16\n192.0.2.15'}
        hint={
          creating ? (
            <>
              The addresses Jira, Confluence or Bitbucket calls crowdgate from: one IPv4 or IPv6 address or CIDR per
              line. <b>Left empty, only loopback is allowed</b> (127.0.0.1 and ::1: a product on the same machine).
            </>
          ) : (
            <>The addresses the product calls crowdgate from: one IPv4 or IPv6 address or CIDR per line.</>
          )
        }
      />
      <fieldset
        className={`field directory-choices${errors.directories ? ' has-error' : ''}`}
        aria-describedby={`${legendId}-hint${errors.directories ? ` ${legendId}-error` : ''}`}
        disabled={disabled}
        data-field="directories"
      >
        <legend id={legendId}>
          Directories it sees <span className="required">(at least one)</span>
        </legend>
        <div className="hint" id={`${legendId}-hint`}>
          In precedence order: when a username exists in two ticked directories, the first one wins.
        </div>
        {choices.length === 0 ? (
          <p className="hint">No directory yet: add one first, then the application.</p>
        ) : (
          choices.map((name) => (
            <CheckboxField
              key={name}
              label={name}
              field={`directory:${name}`}
              checked={ticked.has(name.toLowerCase())}
              onChange={(on) => toggle(name, on)}
              disabled={disabled}
            />
          ))
        )}
        {errors.directories ? (
          <div className="field-error" id={`${legendId}-error`} role="alert">
            {errors.directories}
          </div>
        ) : null}
      </fieldset>
    </>
  );
}
