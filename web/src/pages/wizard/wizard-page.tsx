import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link } from 'wouter';
import { request } from '../../graphql/client';
import { routes } from '../../routes';
import { Button } from '../../ui/button';
import { providerLabel } from '../../ui/directory-status';
import { connectionKey, emptyDraft, toInput, withoutSecrets, type Draft } from '../../settings/draft';
import { ConnectionSection } from '../../settings/connection-section';
import { RefusalNotice } from '../../settings/refusal-notice';
import { previewSettings, testSettings, type ConnectionReport, type Preview } from '../../settings/queries';
import { focusField, useServerErrors } from '../../settings/server-errors';
import { UsersGroupsSection } from '../../settings/users-groups-section';
import { isConnectionField, validateConnection, validateSync, type FieldErrors } from '../../settings/validate';
import { CreateStep, PreviewStep, TestStep } from './wizard-steps';
import '../../settings/settings.css';

export const WIZARD_PROVIDERS = ['entra', 'google', 'okta'] as const;
type WizardProvider = (typeof WIZARD_PROVIDERS)[number];

const STEPS = ['Connect', 'Test connection', 'Users and groups', 'Preview', 'Create and synchronise'] as const;
const PREVIEW_SAMPLE = 200;

/** sessionStorage key of a provider's draft (its non-secret fields; a reload keeps them). */
export const draftStorageKey = (provider: string) => `crowdgate.wizard.${provider}`;

function loadDraft(provider: WizardProvider): Draft {
  const empty = emptyDraft(provider);
  try {
    const saved = sessionStorage.getItem(draftStorageKey(provider));
    if (!saved) return empty;
    const parsed = JSON.parse(saved) as Partial<Draft>;
    return {
      ...empty,
      ...parsed,
      provider,
      entra: { ...empty.entra, ...parsed.entra, clientSecret: '' },
      google: { ...empty.google, ...parsed.google, serviceAccountKey: '' },
      okta: { ...empty.okta, ...parsed.okta, apiToken: '', privateKey: '' },
      username: { ...empty.username, ...parsed.username },
      filters: { ...empty.filters, ...parsed.filters },
      deprovisioning: { ...empty.deprovisioning, ...parsed.deprovisioning },
      safety: { ...empty.safety, ...parsed.safety },
      schedule: { ...empty.schedule, ...parsed.schedule },
      kept: {},
    };
  } catch {
    return empty;
  }
}

export function WizardPage({ params }: { params: { provider: string } }) {
  const provider = params.provider as WizardProvider;
  if (!WIZARD_PROVIDERS.includes(provider))
    return (
      <section>
        <h1 tabIndex={-1}>No such provider</h1>
        <p>
          crowdgate has no wizard for “{params.provider}”. <Link href={routes.addDirectory}>Choose a provider</Link>.
        </p>
      </section>
    );
  return <Wizard key={provider} provider={provider} />;
}

/**
 * Add a directory, step by step: connect (the provider portal's own steps), test, users and
 * groups (with the live username tester), preview, create and watch the first run. The draft lives
 * here, above every step, so nothing typed is lost on an error, a failed request or a session
 * that expires (the sign-in is shown over the page); its non-secret fields also go to
 * sessionStorage, so a reload keeps them.
 */
function Wizard({ provider }: { provider: WizardProvider }) {
  const [draft, setDraft] = useState<Draft>(() => loadDraft(provider));
  const [step, setStep] = useState(0);
  const [reached, setReached] = useState(0);
  const [attempted, setAttempted] = useState<boolean[]>([]);
  const [failure, setFailure] = useState<unknown>(undefined);
  const server = useServerErrors();
  const heading = useRef<HTMLHeadingElement>(null);
  const firstRender = useRef(true);

  const [test, setTest] = useState<{ report: ConnectionReport; key: string } | undefined>(undefined);
  const [testing, setTesting] = useState(false);
  const [preview, setPreview] = useState<{ data: Preview; key: string } | undefined>(undefined);
  const [previewing, setPreviewing] = useState(false);
  const [created, setCreated] = useState<string | undefined>(undefined);
  const [creating, setCreating] = useState(false);

  const input = useMemo(() => toInput(draft), [draft]);
  const inputKey = JSON.stringify(input);
  const connection = connectionKey(draft);

  useEffect(() => {
    if (created) return;
    try {
      sessionStorage.setItem(draftStorageKey(provider), JSON.stringify(withoutSecrets(draft)));
    } catch {
      // Storage full or disabled: the draft still lives in memory.
    }
  }, [draft, provider, created]);

  /** A field to focus once the step holding it has rendered (instead of the step's heading). */
  const focusAfterStep = useRef<string | null>(null);
  // A new step moves focus to its heading (not on the first render: the layout focuses the page title).
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    const pending = focusAfterStep.current;
    focusAfterStep.current = null;
    if (pending) focusField(pending);
    else heading.current?.focus();
  }, [step]);

  const update = useCallback((change: (d: Draft) => Draft) => setDraft(change), []);

  const connectionErrors = validateConnection(draft);
  const syncErrors = validateSync(draft);
  const serverErrors = server.visible(input);
  const errors: FieldErrors = {
    ...(attempted[0] ? connectionErrors : {}),
    ...(attempted[2] ? syncErrors : {}),
    ...serverErrors,
  };

  const goTo = (next: number) => {
    setStep(next);
    setReached((r) => Math.max(r, next));
  };

  /** Checks a step's own fields before leaving it; focuses the first problem. */
  const leave = (index: number): boolean => {
    const problems = index === 0 ? connectionErrors : index === 2 ? syncErrors : {};
    setAttempted((a) => {
      const copy = [...a];
      copy[index] = true;
      return copy;
    });
    const first = Object.keys(problems)[0];
    if (first) {
      focusField(first);
      return false;
    }
    return true;
  };

  /** A refusal of the server: its field errors next to their fields, on the step that holds them. */
  const refused = (error: unknown) => {
    setFailure(error);
    const fields = Object.keys(server.record(error, input));
    const first = fields[0];
    if (first) {
      const owner = isConnectionField(first) ? 0 : 2;
      if (owner !== step) {
        focusAfterStep.current = first;
        setStep(owner);
      } else focusField(first);
    }
  };

  const runTest = async () => {
    const problem = Object.keys(connectionErrors)[0];
    if (problem) {
      setAttempted((a) => Object.assign([...a], { 0: true }));
      focusAfterStep.current = problem;
      setStep(0);
      return;
    }
    setTesting(true);
    setFailure(undefined);
    try {
      const report = await testSettings(input);
      setTest({ report, key: connection });
      server.clear();
    } catch (e) {
      refused(e);
    } finally {
      setTesting(false);
    }
  };

  const runPreview = useCallback(async () => {
    setPreviewing(true);
    setFailure(undefined);
    try {
      const data = await previewSettings(input, PREVIEW_SAMPLE);
      setPreview({ data, key: inputKey });
    } catch (e) {
      refused(e);
    } finally {
      setPreviewing(false);
    }
    // The input is the key: a new callback for every new input.
  }, [inputKey]);

  // The preview reads the provider as soon as its step opens (again when the settings changed).
  useEffect(() => {
    if (step === 3 && preview?.key !== inputKey && !previewing) void runPreview();
    // Run on arrival only.
  }, [step]);

  const create = async () => {
    setCreating(true);
    setFailure(undefined);
    try {
      const data = await request<{ createDirectory: { name: string } }>(
        'mutation($input: DirectoryInput!) { createDirectory(input: $input) { name status } }',
        { input },
      );
      setCreated(data.createDirectory.name);
      sessionStorage.removeItem(draftStorageKey(provider));
    } catch (e) {
      refused(e);
    } finally {
      setCreating(false);
    }
  };

  const testerReady: string | true =
    Object.keys(connectionErrors).length > 0
      ? 'Complete the Connect step first: the tester reads sample users from the provider.'
      : Object.keys(syncErrors).some((k) => k.startsWith('username.'))
        ? 'Fix the username settings marked below to see the result.'
        : true;

  const freshTest = test && test.key === connection ? test.report : undefined;

  return (
    <section className="wizard">
      <div className="page-head">
        <h1 tabIndex={-1}>Add a directory: {providerLabel(provider)}</h1>
        <Link href={routes.addDirectory}>Choose another provider</Link>
      </div>
      <nav aria-label="Wizard steps">
        <ol className="wizard-steps">
          {STEPS.map((label, index) => {
            const current = index === step;
            const canGo = !current && index <= reached && !created && !(index === 4 && step < 3);
            return (
              <li
                key={label}
                aria-current={current ? 'step' : undefined}
                className={current ? 'current' : index < step ? 'done' : undefined}
              >
                <span className="step-number" aria-hidden="true">
                  {index + 1}
                </span>
                {canGo ? (
                  <button type="button" className="button link" onClick={() => goTo(index)}>
                    <span className="visually-hidden">Step {index + 1}: </span>
                    {label}
                  </button>
                ) : (
                  <span>
                    <span className="visually-hidden">Step {index + 1}: </span>
                    {label}
                  </span>
                )}
              </li>
            );
          })}
        </ol>
      </nav>

      <div className="card wizard-body">
        <h2 ref={heading} tabIndex={-1} className="step-heading">
          {step === 0 ? `Connect to ${providerLabel(provider)}` : STEPS[step]}
        </h2>
        <RefusalNotice failure={failure} fieldErrors={serverErrors} />

        {step === 0 ? (
          <>
            <p className="hint">
              Follow the steps in the provider&apos;s portal and fill in what each asks for. Everything but secrets is
              kept for this browser tab if you reload; secrets stay in memory only.
            </p>
            <ConnectionSection draft={draft} update={update} errors={errors} />
          </>
        ) : null}

        {step === 1 ? (
          <TestStep
            report={freshTest}
            stale={test !== undefined && test.key !== connection}
            testing={testing}
            onTest={() => void runTest()}
            onBack={() => goTo(0)}
            onContinue={() => goTo(2)}
          />
        ) : null}

        {step === 2 ? (
          <UsersGroupsSection
            draft={draft}
            update={update}
            errors={errors}
            testerInput={input}
            testerReady={testerReady}
          />
        ) : null}

        {step === 3 ? (
          <PreviewStep
            preview={preview?.key === inputKey ? preview.data : undefined}
            busy={previewing}
            onRefresh={() => void runPreview()}
          />
        ) : null}

        {step === 4 ? (
          <CreateStep
            draft={draft}
            preview={preview?.key === inputKey ? preview.data : undefined}
            created={created}
            creating={creating}
            onCreate={() => void create()}
          />
        ) : null}

        {step !== 1 && !created ? (
          <div className="actions wizard-nav">
            {step > 0 ? <Button onClick={() => goTo(step - 1)}>Back</Button> : null}
            {step === 0 ? (
              <Button variant="primary" onClick={() => leave(0) && goTo(1)}>
                Next: Test connection
              </Button>
            ) : null}
            {step === 2 ? (
              <Button variant="primary" onClick={() => leave(2) && goTo(3)}>
                Next: Preview
              </Button>
            ) : null}
            {step === 3 ? (
              <Button variant="primary" disabled={previewing} onClick={() => goTo(4)}>
                Next: Create and synchronise
              </Button>
            ) : null}
          </div>
        ) : null}
      </div>
    </section>
  );
}
