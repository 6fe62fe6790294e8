import { useEffect, useRef, useState, type ReactNode } from 'react';
import { Button } from '../../ui/button';

/**
 * A button whose action needs a second, explicit click: the first shows what will happen with
 * "confirm" and "cancel" in place (focus moves to the confirm button; Escape or Cancel puts it back
 * on the first). No modal: the page stays readable around the question.
 */
export function ConfirmAction({
  label,
  accessibleLabel,
  question,
  confirmLabel,
  onConfirm,
  busy,
  variant = 'danger',
}: {
  readonly label: string;
  /** When `label` alone is ambiguous in a list ("Revoke" → "Revoke token ci"). */
  readonly accessibleLabel?: string;
  readonly question: ReactNode;
  readonly confirmLabel: string;
  onConfirm(): void | Promise<void>;
  readonly busy?: boolean;
  readonly variant?: 'danger' | 'primary' | 'secondary';
}) {
  const [asking, setAsking] = useState(false);
  const confirmRef = useRef<HTMLDivElement>(null);
  const triggerRef = useRef<HTMLSpanElement>(null);
  const wasAsking = useRef(false);
  useEffect(() => {
    if (asking) confirmRef.current?.querySelector<HTMLButtonElement>('button')?.focus();
    else if (wasAsking.current) triggerRef.current?.querySelector<HTMLButtonElement>('button')?.focus();
    wasAsking.current = asking;
  }, [asking]);

  if (!asking)
    return (
      <span ref={triggerRef} className="confirm-trigger">
        <Button
          writes
          variant={variant === 'danger' ? 'secondary' : variant}
          aria-label={accessibleLabel}
          onClick={() => setAsking(true)}
        >
          {label}
        </Button>
      </span>
    );
  return (
    <div
      ref={confirmRef}
      className="confirm-box"
      role="group"
      aria-label={accessibleLabel ?? label}
      onKeyDown={(event) => {
        if (event.key === 'Escape') setAsking(false);
      }}
    >
      <p className="confirm-question">{question}</p>
      <div className="actions">
        <Button
          writes
          variant={variant}
          busy={busy}
          onClick={async () => {
            await onConfirm();
            setAsking(false);
          }}
        >
          {confirmLabel}
        </Button>
        <Button onClick={() => setAsking(false)}>Cancel</Button>
      </div>
    </div>
  );
}
