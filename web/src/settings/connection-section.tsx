import { TextField } from '../ui/field';
import type { Draft } from './draft';
import { EntraSection } from './entra-section';
import type { SectionProps } from './form-parts';
import { GoogleSection } from './google-section';
import { OktaSection } from './okta-section';

/** The directory's name and its provider block: the wizard's first step and the top of the edit form. */
export function ConnectionSection(props: SectionProps & { readonly nameFixed?: boolean }) {
  const { draft, update, errors, readOnly, nameFixed } = props;
  return (
    <>
      <TextField
        label="Directory name"
        field="name"
        required
        value={draft.name}
        onChange={(name) => update((d) => ({ ...d, name }))}
        error={errors.name}
        disabled={readOnly || nameFixed}
        placeholder="corp"
        hint={
          nameFixed
            ? 'The name identifies the directory and cannot change.'
            : 'How crowdgate and Jira name this directory: 1 to 64 characters from A-Z a-z 0-9 . _ -'
        }
      />
      {draft.provider === 'entra' ? <EntraSection {...props} /> : null}
      {draft.provider === 'google' ? <GoogleSection {...props} /> : null}
      {draft.provider === 'okta' ? <OktaSection {...props} /> : null}
      {draft.provider === 'demo' ? <DemoSection {...props} /> : null}
    </>
  );
}

function DemoSection({ draft, update, errors, readOnly }: SectionProps) {
  const set = (patch: Partial<Draft['demo']>) => update((d) => ({ ...d, demo: { ...d.demo, ...patch } }));
  return (
    <div className="two-columns">
      <TextField
        label="Seed"
        field="demo.seed"
        value={draft.demo.seed}
        onChange={(seed) => set({ seed })}
        error={errors['demo.seed']}
        disabled={readOnly}
      />
      <TextField
        label="Users"
        field="demo.users"
        type="number"
        value={draft.demo.users}
        onChange={(users) => set({ users })}
        error={errors['demo.users']}
        disabled={readOnly}
      />
      <TextField
        label="Groups"
        field="demo.groups"
        type="number"
        value={draft.demo.groups}
        onChange={(groups) => set({ groups })}
        error={errors['demo.groups']}
        disabled={readOnly}
      />
    </div>
  );
}
