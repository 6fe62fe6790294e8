import type { ConnectionReport } from './queries';

const SEVERITY_LABEL: Record<string, string> = { ERROR: 'Error', WARNING: 'Warning', INFO: 'Passed' };

/** Every finding of a connection test: severity, code, what was found and how to fix it. */
export function Findings({ report }: { report: ConnectionReport }) {
  return (
    <div className="findings">
      <p className={`notice ${report.ok ? 'success' : 'error'}`} role="status">
        {report.ok
          ? 'The connection test passed: crowdgate can read users, groups and members.'
          : 'The connection test failed: crowdgate cannot synchronise until the errors below are fixed.'}
      </p>
      <ul className="finding-list" aria-label="Findings of the connection test">
        {report.findings.map((f, i) => (
          <li key={i} className={`finding severity-${f.severity.toLowerCase()}`} data-code={f.code}>
            <div className="finding-head">
              <span className={`badge severity-${f.severity.toLowerCase()}`}>
                {SEVERITY_LABEL[f.severity] ?? f.severity}
              </span>
              <code className="finding-code">{f.code}</code>
            </div>
            <p className="finding-message">{f.message}</p>
            {f.fix ? (
              <p className="finding-fix">
                <strong>How to fix: </strong>
                {f.fix}
              </p>
            ) : null}
          </li>
        ))}
      </ul>
    </div>
  );
}
