import { GraphQLFailure } from '../graphql/client';
import { ErrorNotice } from '../ui/notice';
import type { FieldErrors } from './validate';

/**
 * Above a settings form: what the server refused that names no field (a network failure, an
 * expired session, a conflict), and while fields it named are still as they were, a line
 * pointing to them (each error itself is shown next to its field).
 */
export function RefusalNotice({ failure, fieldErrors }: { failure: unknown; fieldErrors: FieldErrors }) {
  if (!failure) return null;
  if (!(failure instanceof GraphQLFailure)) return <ErrorNotice error={failure} all />;
  const general = failure.general();
  const marked = Object.keys(fieldErrors).length;
  if (general.length === 0 && marked === 0) return null;
  return (
    <div className="notice error" role="alert">
      {general.map((line, i) => (
        <p key={i}>{line}</p>
      ))}
      {marked > 0 ? (
        <p>
          crowdgate refused {marked === 1 ? 'a setting' : `${marked} settings`}: see the field
          {marked === 1 ? '' : 's'} marked below ({Object.keys(fieldErrors).join(', ')}).
        </p>
      ) : null}
    </div>
  );
}
