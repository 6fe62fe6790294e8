import { useId, type ButtonHTMLAttributes, type ReactNode } from 'react';
import { useWriteAccess } from '../session';

type Props = ButtonHTMLAttributes<HTMLButtonElement> & {
  readonly busy?: boolean;
  /** The button changes something: disabled for READ tokens, with the reason next to it. */
  readonly writes?: boolean;
  readonly variant?: 'primary' | 'secondary' | 'danger' | 'link';
  readonly children: ReactNode;
};

/** A button with a busy state (spinner, aria-busy, disabled while the action runs). */
export function Button({ busy, writes, variant = 'secondary', children, disabled, className, ...rest }: Props) {
  const access = useWriteAccess();
  const reasonId = useId();
  const blocked = Boolean(writes && !access.canWrite);
  return (
    <>
      <button
        type="button"
        {...rest}
        className={`button ${variant}${className ? ` ${className}` : ''}`}
        disabled={disabled || busy || blocked}
        aria-busy={busy ? true : undefined}
        aria-describedby={blocked ? reasonId : rest['aria-describedby']}
        title={blocked ? access.reason : rest.title}
      >
        {busy ? <span className="spinner" aria-hidden="true" /> : null}
        {children}
      </button>
      {blocked ? (
        <span id={reasonId} className="visually-hidden">
          {access.reason}
        </span>
      ) : null}
    </>
  );
}
