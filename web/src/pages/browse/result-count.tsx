import { plural } from '../../ui/format';

/** "1,234 users matching “ada”" for a list page, announced politely as it changes; empty on an error. */
export function ResultCount(props: { total: number | undefined; noun: string; term: string; failed: boolean }) {
  const term = props.term.trim();
  return (
    <p className="browse-count" role="status" aria-live="polite">
      {props.total !== undefined
        ? `${plural(props.total, props.noun)}${term ? ` matching “${term}”` : ''}`
        : props.failed
          ? ''
          : 'Loading…'}
    </p>
  );
}
