import { useState } from 'react';

/** Copies `value` to the clipboard with one click; says so for two seconds (announced politely). */
export function CopyButton({ value, label }: { value: string; label: string }) {
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
    setTimeout(() => setCopied(null), 2000);
  };
  return (
    // The accessible name starts with the visible text (WCAG 2.5.3 "label in name"), whatever it says now.
    <button type="button" className="button copy" onClick={() => void copy()}>
      {copied === 'yes' ? 'Copied' : copied === 'failed' ? 'Select and copy' : 'Copy'}
      <span className="visually-hidden"> {label}</span>
      <span className="visually-hidden" aria-live="polite">
        {copied === 'yes' ? `${label} copied` : ''}
      </span>
    </button>
  );
}

/** A value to paste somewhere else, shown in full with its copy button. */
export function CopyValue({ value, label }: { value: string; label: string }) {
  return (
    <span className="copy-value">
      <code>{value}</code>
      <CopyButton value={value} label={label} />
    </span>
  );
}
