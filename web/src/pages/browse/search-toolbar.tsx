import { useEffect, useState, type ReactNode } from 'react';
import { SelectField, TextField } from '../../ui/field';
import type { BrowseDirectory } from './browse-data';
import { useDebounced } from './use-debounced';

/**
 * The search box (search as you type: the term settles 250 ms after the last key) and the filters
 * of a browse page. `onSearch` receives the settled term; Enter sends it at once.
 */
export function SearchToolbar({
  label,
  hint,
  term,
  onSearch,
  directory,
  onDirectory,
  directories,
  children,
}: {
  label: string;
  hint: string;
  term: string;
  onSearch(term: string): void;
  directory: string;
  onDirectory(directory: string): void;
  directories: readonly BrowseDirectory[];
  /** Further filters. */
  children?: ReactNode;
}) {
  const [text, setText] = useState(term);
  const settled = useDebounced(text);
  useEffect(() => {
    if (settled !== term) onSearch(settled);
    // Only a settled change of the typed text searches; `term` changing from outside must not undo typing.
  }, [settled]);
  return (
    <form
      role="search"
      aria-label={label}
      className="toolbar browse-toolbar"
      onSubmit={(event) => {
        event.preventDefault();
        onSearch(text);
      }}
    >
      <div className="browse-search">
        <TextField label={label} value={text} onChange={setText} hint={hint} />
      </div>
      {children}
      <SelectField
        label="Directory"
        value={directory}
        onChange={onDirectory}
        options={[
          { value: '', label: 'All directories (the first in precedence wins)' },
          ...directories.map((d) => ({ value: d.name, label: d.name })),
        ]}
      />
    </form>
  );
}
