import type { ReactNode } from 'react';
import { Button } from '../ui/button';
import { CheckboxField, SelectField, TextField } from '../ui/field';
import type { AttributeRule, Draft } from './draft';
import { removeAt, replaceAt, type SectionProps } from './form-parts';
import { UsernameTester } from './username-tester';

/** The local groups Jira, Confluence and Bitbucket grant their application access with. */
export const SUGGESTED_LOCAL_GROUPS = ['jira-software-users', 'confluence-users', 'bitbucket-users'] as const;

const SOURCE_OPTIONS = [
  { value: 'login', label: 'Login (Entra user principal name, Google primary e-mail, Okta login)' },
  { value: 'email', label: 'E-mail address' },
  { value: 'attribute', label: 'Another attribute…' },
] as const;

type SourceChoice = (typeof SOURCE_OPTIONS)[number]['value'];

/**
 * Users and groups: the username projection with its live tester, the filters, local groups and
 * mappings, nesting, deprovisioning, the safety threshold and the schedule (the keys of
 * config/sync-schema.ts, with its value sets and defaults).
 */
export function UsersGroupsSection(
  props: SectionProps & {
    /** The input the live tester previews (the whole draft); absent: no tester. */
    readonly testerInput?: Record<string, unknown>;
    /** true, or why the tester cannot run yet. */
    readonly testerReady?: string | true;
  },
) {
  const { draft, update, errors, readOnly } = props;
  const u = draft.username;
  const setUsername = (patch: Partial<Draft['username']>) =>
    update((d) => ({ ...d, username: { ...d.username, ...patch } }));
  const setFilters = (patch: Partial<Draft['filters']>) =>
    update((d) => ({ ...d, filters: { ...d.filters, ...patch } }));
  const sourceChoice: SourceChoice = u.source === 'login' || u.source === 'email' ? u.source : 'attribute';

  return (
    <>
      <Block title="Usernames" id="settings-usernames">
        <p className="hint">
          Which provider value becomes the Crowd username, and how it is transformed: strip the domain, then the replace
          rules in order, then lower case.
        </p>
        <div className="two-columns">
          <SelectField
            label="Username source"
            field="username.source"
            value={sourceChoice}
            disabled={readOnly}
            options={SOURCE_OPTIONS}
            error={sourceChoice === 'attribute' ? undefined : errors['username.source']}
            onChange={(choice) => setUsername({ source: choice === 'attribute' ? '' : choice })}
          />
          {sourceChoice === 'attribute' ? (
            <TextField
              label="Source attribute"
              field="username.source"
              required
              monospace
              value={u.source}
              disabled={readOnly}
              error={errors['username.source']}
              placeholder="samAccountName"
              hint="A provider attribute such as samAccountName, mailNickname, employeeId or customSchemas.Schema.field."
              onChange={(source) => setUsername({ source })}
            />
          ) : null}
        </div>
        <CheckboxField
          label="Strip the domain (everything from the last @)"
          field="username.stripDomain"
          checked={u.stripDomain}
          disabled={readOnly}
          onChange={(stripDomain) => setUsername({ stripDomain })}
        />
        <CheckboxField
          label="Lower case"
          field="username.lowercase"
          checked={u.lowercase}
          disabled={readOnly}
          onChange={(lowercase) => setUsername({ lowercase })}
        />
        <RowList
          title="Replace rules"
          emptyText="No replace rule."
          addLabel="Add a replace rule"
          readOnly={readOnly}
          onAdd={() => setUsername({ replace: [...u.replace, { pattern: '', with: '' }] })}
          rows={u.replace.map((rule, i) => ({
            key: i,
            label: `replace rule ${i + 1}`,
            onRemove: () => setUsername({ replace: removeAt(u.replace, i) }),
            content: (
              <>
                <TextField
                  label={`Pattern ${i + 1} (regular expression)`}
                  field={`username.replace[${i}].pattern`}
                  monospace
                  value={rule.pattern}
                  disabled={readOnly}
                  error={errors[`username.replace[${i}].pattern`]}
                  placeholder="^(\w)\w*\."
                  onChange={(pattern) => setUsername({ replace: replaceAt(u.replace, i, { ...rule, pattern }) })}
                />
                <TextField
                  label={`Replacement ${i + 1}`}
                  field={`username.replace[${i}].with`}
                  monospace
                  value={rule.with}
                  disabled={readOnly}
                  error={errors[`username.replace[${i}].with`]}
                  placeholder="$1"
                  hint="$1, $2… name the pattern's groups."
                  onChange={(replacement) =>
                    setUsername({ replace: replaceAt(u.replace, i, { ...rule, with: replacement }) })
                  }
                />
              </>
            ),
          }))}
        />
        {props.testerInput && props.testerReady !== undefined ? (
          <UsernameTester input={props.testerInput} ready={props.testerReady} source={u.source} />
        ) : null}
      </Block>

      <Block title="Filters" id="settings-filters">
        <div className="two-columns">
          <TextField
            label="Only members of these provider groups"
            field="filters.groups"
            multiline
            value={draft.filters.groups}
            disabled={readOnly}
            error={errors['filters.groups'] ?? firstUnder(errors, 'filters.groups[')}
            hint="One group name per line (members through nesting count). Empty: everyone."
            onChange={(groups) => setFilters({ groups })}
          />
          <div>
            <SelectField
              label="Disabled users"
              field="filters.disabledUsers"
              value={draft.filters.disabledUsers}
              disabled={readOnly}
              error={errors['filters.disabledUsers']}
              options={[
                { value: 'include', label: 'Include, as inactive users' },
                { value: 'exclude', label: 'Exclude' },
              ]}
              onChange={(disabledUsers) => setFilters({ disabledUsers })}
            />
            <SelectField
              label="Guests"
              field="filters.guests"
              value={draft.filters.guests}
              disabled={readOnly}
              error={errors['filters.guests']}
              options={[
                { value: 'include', label: 'Include guest accounts' },
                { value: 'exclude', label: 'Exclude guest accounts' },
              ]}
              onChange={(guests) => setFilters({ guests })}
            />
          </div>
        </div>
        <RowList
          title="Attribute conditions (all must hold)"
          emptyText="No attribute condition."
          addLabel="Add an attribute condition"
          readOnly={readOnly}
          onAdd={() =>
            setFilters({ attributes: [...draft.filters.attributes, { name: '', kind: 'equals', value: '' }] })
          }
          rows={draft.filters.attributes.map((rule, i) => ({
            key: i,
            label: `attribute condition ${i + 1}`,
            onRemove: () => setFilters({ attributes: removeAt(draft.filters.attributes, i) }),
            content: (
              <AttributeRow
                rule={rule}
                index={i}
                errors={errors}
                readOnly={readOnly}
                onChange={(next) => setFilters({ attributes: replaceAt(draft.filters.attributes, i, next) })}
              />
            ),
          }))}
        />
      </Block>

      <Block title="Local groups" id="settings-local-groups">
        <p className="hint">
          Crowd groups every active user of this directory joins: the groups Jira, Confluence and Bitbucket grant access
          with.
        </p>
        <div className="actions suggestions">
          {SUGGESTED_LOCAL_GROUPS.map((group) => {
            const present = draft.localGroups.some((g) => g.trim().toLowerCase() === group);
            return (
              <Button
                key={group}
                disabled={readOnly || present}
                aria-label={`Add local group ${group}`}
                onClick={() => update((d) => ({ ...d, localGroups: [...d.localGroups, group] }))}
              >
                + {group}
              </Button>
            );
          })}
        </div>
        <RowList
          title="Local groups"
          hideTitle
          emptyText="No local group."
          addLabel="Add another local group"
          readOnly={readOnly}
          onAdd={() => update((d) => ({ ...d, localGroups: [...d.localGroups, ''] }))}
          rows={draft.localGroups.map((group, i) => ({
            key: i,
            label: `local group ${group || i + 1}`,
            onRemove: () => update((d) => ({ ...d, localGroups: removeAt(d.localGroups, i) })),
            content: (
              <TextField
                label={`Local group ${i + 1}`}
                field={`localGroups[${i}]`}
                value={group}
                disabled={readOnly}
                error={errors[`localGroups[${i}]`]}
                onChange={(name) => update((d) => ({ ...d, localGroups: replaceAt(d.localGroups, i, name) }))}
              />
            ),
          }))}
        />
        <RowList
          title="Group mappings: members of a provider group also join a Crowd group"
          emptyText="No group mapping."
          addLabel="Add a group mapping"
          readOnly={readOnly}
          onAdd={() => update((d) => ({ ...d, groupMappings: [...d.groupMappings, { from: '', to: '' }] }))}
          rows={draft.groupMappings.map((m, i) => ({
            key: i,
            label: `group mapping ${i + 1}`,
            onRemove: () => update((d) => ({ ...d, groupMappings: removeAt(d.groupMappings, i) })),
            content: (
              <>
                <TextField
                  label={`Provider group ${i + 1}`}
                  field={`groupMappings[${i}].from`}
                  value={m.from}
                  disabled={readOnly}
                  error={errors[`groupMappings[${i}].from`]}
                  placeholder="Engineering"
                  onChange={(from) =>
                    update((d) => ({ ...d, groupMappings: replaceAt(d.groupMappings, i, { ...m, from }) }))
                  }
                />
                <TextField
                  label={`Crowd group ${i + 1}`}
                  field={`groupMappings[${i}].to`}
                  value={m.to}
                  disabled={readOnly}
                  error={errors[`groupMappings[${i}].to`]}
                  placeholder="jira-developers"
                  onChange={(to) =>
                    update((d) => ({ ...d, groupMappings: replaceAt(d.groupMappings, i, { ...m, to }) }))
                  }
                />
              </>
            ),
          }))}
        />
        <SelectField
          label="Nested groups"
          field="nestedGroups"
          value={draft.nestedGroups}
          disabled={readOnly}
          error={errors.nestedGroups}
          options={[
            { value: 'keep', label: 'Keep: groups stay members of groups' },
            { value: 'flatten', label: 'Flatten: users become direct members of every ancestor group' },
          ]}
          onChange={(nestedGroups) => update((d) => ({ ...d, nestedGroups }))}
        />
      </Block>

      <Block title="Deprovisioning and safety" id="settings-deprovisioning">
        <div className="two-columns">
          <SelectField
            label="A user deleted upstream (or no longer matching the filters)"
            field="deprovisioning.deleted"
            value={draft.deprovisioning.deleted}
            disabled={readOnly}
            error={errors['deprovisioning.deleted']}
            options={[
              { value: 'remove', label: 'Remove from Crowd' },
              { value: 'deactivate', label: 'Keep, deactivated' },
            ]}
            onChange={(deleted) => update((d) => ({ ...d, deprovisioning: { ...d.deprovisioning, deleted } }))}
          />
          <SelectField
            label="A user disabled upstream"
            field="deprovisioning.disabled"
            value={draft.deprovisioning.disabled}
            disabled={readOnly}
            error={errors['deprovisioning.disabled']}
            options={[
              { value: 'deactivate', label: 'Deactivate in Crowd' },
              { value: 'remove', label: 'Remove from Crowd' },
            ]}
            onChange={(disabled) => update((d) => ({ ...d, deprovisioning: { ...d.deprovisioning, disabled } }))}
          />
        </div>
        <p className="hint">A run that would remove or deactivate more than either limit waits for your approval.</p>
        <div className="two-columns">
          <TextField
            label="Safety threshold: users"
            field="safety.maxRemovals"
            type="number"
            value={draft.safety.maxRemovals}
            disabled={readOnly}
            error={errors['safety.maxRemovals']}
            onChange={(maxRemovals) => update((d) => ({ ...d, safety: { ...d.safety, maxRemovals } }))}
          />
          <TextField
            label="Safety threshold: share of the users (0 to 1)"
            field="safety.maxRemovalShare"
            type="number"
            value={draft.safety.maxRemovalShare}
            disabled={readOnly}
            error={errors['safety.maxRemovalShare']}
            hint="0.1 = 10 %"
            onChange={(maxRemovalShare) => update((d) => ({ ...d, safety: { ...d.safety, maxRemovalShare } }))}
          />
        </div>
      </Block>

      <Block title="Schedule" id="settings-schedule">
        <div className="two-columns">
          <TextField
            label="Full run every (minutes)"
            field="schedule.fullMinutes"
            type="number"
            value={draft.schedule.fullMinutes}
            disabled={readOnly}
            error={errors['schedule.fullMinutes']}
            hint="0 turns scheduled full runs off."
            onChange={(fullMinutes) => update((d) => ({ ...d, schedule: { ...d.schedule, fullMinutes } }))}
          />
          <TextField
            label="Incremental run every (seconds)"
            field="schedule.incrementalSeconds"
            type="number"
            value={draft.schedule.incrementalSeconds}
            disabled={readOnly}
            error={errors['schedule.incrementalSeconds']}
            hint="Providers with a change feed (Entra, Okta); 0 turns them off."
            onChange={(incrementalSeconds) =>
              update((d) => ({ ...d, schedule: { ...d.schedule, incrementalSeconds } }))
            }
          />
        </div>
      </Block>
    </>
  );
}

function Block({ title, id, children }: { title: string; id: string; children: ReactNode }) {
  return (
    <section className="settings-block" aria-labelledby={id}>
      <h3 id={id}>{title}</h3>
      {children}
    </section>
  );
}

function AttributeRow(props: {
  rule: AttributeRule;
  index: number;
  errors: Record<string, string>;
  readOnly: boolean | undefined;
  onChange(rule: AttributeRule): void;
}) {
  const { rule, index: i, errors, readOnly } = props;
  return (
    <>
      <TextField
        label={`Attribute ${i + 1}`}
        field={`filters.attributes[${i}].name`}
        monospace
        value={rule.name}
        disabled={readOnly}
        error={errors[`filters.attributes[${i}].name`] ?? errors[`filters.attributes[${i}]`]}
        placeholder="department"
        hint="domain = the login's domain"
        onChange={(name) => props.onChange({ ...rule, name })}
      />
      <SelectField
        label={`Condition ${i + 1}`}
        value={rule.kind}
        disabled={readOnly}
        options={[
          { value: 'equals', label: 'equals one of' },
          { value: 'matches', label: 'matches the regular expression' },
        ]}
        onChange={(kind) => props.onChange({ ...rule, kind })}
      />
      <TextField
        label={rule.kind === 'equals' ? `Values ${i + 1} (separated by commas)` : `Regular expression ${i + 1}`}
        field={`filters.attributes[${i}].${rule.kind}`}
        monospace
        value={rule.value}
        disabled={readOnly}
        error={
          errors[`filters.attributes[${i}].${rule.kind}`] ?? firstUnder(errors, `filters.attributes[${i}].equals[`)
        }
        onChange={(value) => props.onChange({ ...rule, value })}
      />
    </>
  );
}

/** A list of rows, each with a Remove button, and an Add button. */
function RowList(props: {
  title: string;
  hideTitle?: boolean;
  emptyText: string;
  addLabel: string;
  readOnly: boolean | undefined;
  onAdd(): void;
  rows: Array<{ key: number; label: string; content: ReactNode; onRemove(): void }>;
}) {
  return (
    <div className="row-list">
      {props.hideTitle ? null : <h4>{props.title}</h4>}
      {props.rows.length === 0 ? <p className="hint">{props.emptyText}</p> : null}
      <ul aria-label={props.title}>
        {props.rows.map((row) => (
          <li key={row.key} className="row">
            <div className="row-fields">{row.content}</div>
            <Button variant="link" disabled={props.readOnly} aria-label={`Remove ${row.label}`} onClick={row.onRemove}>
              Remove
            </Button>
          </li>
        ))}
      </ul>
      {props.readOnly ? null : <Button onClick={props.onAdd}>{props.addLabel}</Button>}
    </div>
  );
}

function firstUnder(errors: Record<string, string>, prefix: string): string | undefined {
  const key = Object.keys(errors).find((k) => k.startsWith(prefix));
  return key ? errors[key] : undefined;
}
