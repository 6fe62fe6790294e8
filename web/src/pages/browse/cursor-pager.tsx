import { useState } from 'react';
import { Button } from '../../ui/button';

/**
 * Cursor paging with a stack of the cursors that opened each page: Next pushes the page's
 * `endCursor`, Previous pops. The server seeks from the cursor, so page 2,000 of 100k users costs
 * what page 1 does (no offset scan), and nothing but the page is loaded. A new `resetKey` (another
 * search or filter) starts again at the first page, in the same render.
 */
export function useCursorPages(resetKey: string) {
  const [state, setState] = useState<{ key: string; stack: ReadonlyArray<string | null> }>({
    key: resetKey,
    stack: [null],
  });
  const stack = state.key === resetKey ? state.stack : [null];
  const after = stack[stack.length - 1] ?? null;
  return {
    /** The `after` argument of the current page (null: the first). */
    after,
    /** 1-based. */
    page: stack.length,
    next(cursor: string) {
      // A second click before the next page arrived would push the same cursor again.
      if (cursor !== after) setState({ key: resetKey, stack: [...stack, cursor] });
    },
    previous() {
      if (stack.length > 1) setState({ key: resetKey, stack: stack.slice(0, -1) });
    },
  };
}

export type CursorPages = ReturnType<typeof useCursorPages>;

/** Previous / Next and where the page sits in the whole list ("51–100 of 1,234 users"). */
export function Pager({
  pages,
  pageSize,
  shown,
  totalCount,
  endCursor,
  hasNextPage,
  noun,
  label,
}: {
  pages: CursorPages;
  pageSize: number;
  shown: number;
  totalCount: number;
  endCursor: string | null;
  hasNextPage: boolean;
  /** Plural, e.g. "users". */
  noun: string;
  /** Names the navigation landmark, e.g. "Pages of users". */
  label: string;
}) {
  const from = (pages.page - 1) * pageSize + 1;
  const position =
    shown === 0
      ? `0 of ${totalCount.toLocaleString('en')} ${noun}`
      : `${from.toLocaleString('en')}–${(from + shown - 1).toLocaleString('en')} of ${totalCount.toLocaleString('en')} ${noun}`;
  if (pages.page === 1 && !hasNextPage) return null;
  return (
    <nav className="pager" aria-label={label}>
      {/* aria-disabled, not disabled: the button keeps the keyboard focus on the first and last page. */}
      <Button aria-disabled={pages.page === 1} onClick={() => pages.previous()}>
        Previous
      </Button>
      <span className="browse-pager-position">
        Page {pages.page} · {position}
      </span>
      <Button
        aria-disabled={!hasNextPage || !endCursor}
        onClick={() => {
          if (hasNextPage && endCursor) pages.next(endCursor);
        }}
      >
        Next
      </Button>
    </nav>
  );
}
