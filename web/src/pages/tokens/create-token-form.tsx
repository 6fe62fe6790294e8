import { useId, useRef, useState, type FormEvent } from 'react';
import { GraphQLFailure, request } from '../../graphql/client';
import { useWriteAccess } from '../../session';
import { Button } from '../../ui/button';
import { SelectField, TextField } from '../../ui/field';
import { fieldErrors } from '../../ui/notice';
import { useAction } from '../../ui/use-query';
import { FormProblems, useFocusFirstInvalid } from '../applications/form-problems';
import { nameProblem } from '../applications/validation';
import type { AdminToken } from './tokens-page';

export interface CreatedToken {
  readonly token: string;
  readonly adminToken: AdminToken;
}

const CREATE_TOKEN = `mutation($name: String!, $scope: TokenScope!, $expiresAt: DateTimeISO) {
  createAdminToken(name: $name, scope: $scope, expiresAt: $expiresAt) {
    token adminToken { name scope managedBy createdAt expiresAt lastUsedAt }
  }
}`;

const SCOPES = [
  { value: 'READ', label: 'READ: sees everything, changes nothing' },
  { value: 'ADMIN', label: 'ADMIN: may change everything' },
] as const;

type Scope = (typeof SCOPES)[number]['value'];

/** A date from the date picker (YYYY-MM-DD) as the end of that day in the browser's time zone. */
export function endOfDay(date: string): Date | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return undefined;
  const end = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]), 23, 59, 59);
  return Number.isNaN(end.getTime()) ? undefined : end;
}

function today(): string {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** Create a token: name, scope, an optional last day. The token is answered once. */
export function CreateTokenForm({ onCreated }: { onCreated(created: CreatedToken): void }) {
  const { canWrite } = useWriteAccess();
  const form = useRef<HTMLFormElement>(null);
  const focusFirstInvalid = useFocusFirstInvalid(form);
  const [name, setName] = useState('');
  const [scope, setScope] = useState<Scope>('READ');
  const [expires, setExpires] = useState('');
  const [checks, setChecks] = useState<{ name?: string | undefined; expiresAt?: string | undefined }>({});
  const create = useAction(async (variables: { name: string; scope: Scope; expiresAt: string | null }) => {
    const data = await request<{ createAdminToken: CreatedToken }>(CREATE_TOKEN, variables);
    return data.createAdminToken;
  });
  const server = fieldErrors(create.error);
  // The store refuses a taken name as CONFLICT without naming the field: it is the name's problem.
  const nameTaken =
    create.error instanceof GraphQLFailure &&
    create.error.code === 'CONFLICT' &&
    create.error.problems.every((p) => !p.field)
      ? create.error.message
      : undefined;
  const errors = {
    name: checks.name ?? server.name ?? nameTaken,
    expiresAt: checks.expiresAt ?? server.expiresAt,
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const end = expires ? endOfDay(expires) : undefined;
    const found = {
      name: nameProblem(name.trim()),
      expiresAt:
        expires && !end
          ? 'Enter a date such as 2030-12-31.'
          : end && end.getTime() <= Date.now()
            ? 'Choose today or a later day.'
            : undefined,
    };
    setChecks(found);
    create.setError(undefined);
    if (found.name || found.expiresAt) {
      focusFirstInvalid();
      return;
    }
    const created = await create.run({ name: name.trim(), scope, expiresAt: end ? end.toISOString() : null });
    if (!created) {
      focusFirstInvalid();
      return;
    }
    setName('');
    setExpires('');
    onCreated(created);
  };

  return (
    <form
      ref={form}
      className="card token-form"
      aria-labelledby="create-token"
      noValidate
      onSubmit={(e) => void submit(e)}
    >
      <h2 id="create-token">Create a token</h2>
      <FormProblems error={nameTaken ? undefined : create.error} placed={['name', 'expiresAt']} />
      <TextField
        label="Name"
        field="name"
        required
        value={name}
        onChange={setName}
        disabled={!canWrite}
        error={errors.name}
        hint="Who or what uses it, such as grafana or alice-laptop. Letters, digits, . _ -"
      />
      <SelectField<Scope>
        label="Scope"
        field="scope"
        value={scope}
        onChange={setScope}
        options={SCOPES}
        disabled={!canWrite}
      />
      <DateField
        label="Expires after"
        value={expires}
        onChange={setExpires}
        min={today()}
        disabled={!canWrite}
        error={errors.expiresAt}
        hint="Optional: the token stops working at the end of that day (your time zone). Empty: it never expires."
      />
      <div className="actions">
        <Button type="submit" variant="primary" writes busy={create.busy}>
          Create token
        </Button>
      </div>
    </form>
  );
}

/** A labelled date input, marked up as the shared fields are (ui/field.tsx has no date type). */
function DateField(props: {
  label: string;
  value: string;
  onChange(value: string): void;
  min: string;
  disabled: boolean;
  error: string | undefined;
  hint: string;
}) {
  const id = useId();
  const describedBy = [`${id}-hint`, props.error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div className={`field date-field${props.error ? ' has-error' : ''}`}>
      <label htmlFor={id}>{props.label}</label>
      <input
        id={id}
        type="date"
        data-field="expiresAt"
        value={props.value}
        min={props.min}
        disabled={props.disabled}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={describedBy}
        onChange={(e) => props.onChange(e.target.value)}
      />
      <div className="hint" id={`${id}-hint`}>
        {props.hint}
      </div>
      {props.error ? (
        <div className="field-error" id={`${id}-error`} role="alert">
          {props.error}
        </div>
      ) : null}
    </div>
  );
}
