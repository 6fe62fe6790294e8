import { useCallback, useState } from 'react';
import { request } from '../../graphql/client';
import { Button } from '../../ui/button';
import { formatDateTime } from '../../ui/format';
import { ErrorNotice, Notice } from '../../ui/notice';
import { useAction } from '../../ui/use-query';

interface Finding {
  code: string;
  severity: string;
  message: string;
  fix: string;
  expiresAt: string | null;
}

interface Report {
  ok: boolean;
  findings: Finding[];
}

const TEST_QUERY = `query TestConnection($directory: String!) {
  testConnection(directory: $directory) { ok findings { code severity message fix expiresAt } }
}`;

const SEVERITY_LABELS: Record<string, string> = { ERROR: 'Error', WARNING: 'Warning', INFO: 'Info' };
/** Findings that report a check passed (the rest of INFO is for the record). */
const PASSED = new Set(['OK', 'SIGNED_IN', 'CAN_READ']);

function findingKind(f: Finding): string {
  return f.severity === 'INFO' && PASSED.has(f.code) ? 'passed' : f.severity.toLowerCase();
}

/**
 * "Test connection": the connection test with the stored settings, every finding as it comes
 * (severity, what was found, how to fix it). A query: READ tokens may run it too.
 */
export function ConnectionTest({ directory }: { directory: string }) {
  const test = useAction(
    useCallback(
      async () => (await request<{ testConnection: Report }>(TEST_QUERY, { directory })).testConnection,
      [directory],
    ),
  );
  const [report, setReport] = useState<Report | undefined>(undefined);
  const run = async () => {
    setReport(undefined);
    const answer = await test.run();
    if (answer) setReport(answer);
  };
  const problems = report?.findings.filter((f) => f.severity === 'ERROR').length ?? 0;
  return (
    <section aria-labelledby="connection-heading" className="card directory-section">
      <h2 id="connection-heading">Connection</h2>
      <p className="hint">
        Signs in to the provider with the stored settings and reads a user, a group and its members. Nothing is written.
      </p>
      <Button busy={test.busy} onClick={() => void run()}>
        Test connection
      </Button>
      <ErrorNotice error={test.error} all />
      <div aria-live="polite">
        {report ? (
          <>
            {report.ok ? (
              <Notice kind="success">The connection works: crowdgate can read users, groups and members.</Notice>
            ) : (
              <Notice kind="error">
                The connection test found {problems === 1 ? 'a problem' : `${problems} problems`}: crowdgate cannot
                synchronise until {problems === 1 ? 'it is' : 'they are'} fixed.
              </Notice>
            )}
            <ul className="connection-findings" aria-label="Connection test findings">
              {report.findings.map((f, i) => (
                <li key={i} className={`connection-finding finding-${findingKind(f)}`} data-code={f.code}>
                  <span className={`badge finding-${findingKind(f)}`}>
                    {findingKind(f) === 'passed' ? 'OK' : (SEVERITY_LABELS[f.severity] ?? f.severity)}
                  </span>
                  <div>
                    <p className="connection-finding-message">
                      {f.message}
                      {f.expiresAt ? ` (expires ${formatDateTime(f.expiresAt)})` : ''}
                    </p>
                    {f.fix ? (
                      <p className="connection-finding-fix">
                        <strong>How to fix:</strong> {f.fix}
                      </p>
                    ) : null}
                  </div>
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </div>
    </section>
  );
}
