import type { MouseEvent, ReactNode } from 'react';
import { navigate } from '../router';

/**
 * Opens a row's page when the row is clicked anywhere but on its own controls (or while selecting
 * its text); with Ctrl / ⌘ in a new tab, as a link would.
 */
export function openRow(e: MouseEvent<HTMLTableRowElement>, href: string) {
  if ((e.target as HTMLElement).closest('a, button, input, select, textarea, label, summary')) return;
  if (window.getSelection()?.toString()) return;
  if (e.metaKey || e.ctrlKey) window.open(href, '_blank', 'noopener');
  else navigate(href);
}

/** A simple data page: title, optional actions, loading / error / empty states, then a table. */
export function ListPage<T>(props: {
  title: string;
  actions?: ReactNode;
  query: { isLoading: boolean; error: Error | null; data: T[] | undefined };
  empty: string;
  /** `hint`: a note after the label, as written (e.g. which time zone a time column is in). */
  columns: { label: string; render: (row: T) => ReactNode; num?: boolean; hint?: string }[];
  rowKey: (row: T) => string;
  /**
   * Makes the whole row open this page on click. Keyboard users open it through a link to the same
   * page inside the row, which the page must render (one tab stop per row, real link semantics).
   */
  rowHref?: (row: T) => string;
  /** A class for a row (e.g. greyed when revoked). */
  rowClass?: (row: T) => string | undefined;
}) {
  const { query } = props;
  return (
    <div className="list-page">
      <header className="page-header">
        <h1>{props.title}</h1>
        {props.actions}
      </header>
      {query.isLoading && <p className="muted">Loading…</p>}
      {query.error && <p className="field-error">Could not load: {query.error.message}</p>}
      {query.data?.length === 0 && <p className="empty-state">{props.empty}</p>}
      {!!query.data?.length && (
        <table className="table">
          <thead>
            <tr>
              {props.columns.map((c) => (
                <th key={c.label} className={c.num ? 'num' : undefined}>
                  {c.label}
                  {c.hint && <span className="th-hint"> ({c.hint})</span>}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {query.data.map((row) => {
              const href = props.rowHref?.(row);
              const cls = [props.rowClass?.(row), href && 'row-link'].filter(Boolean).join(' ');
              return (
                <tr
                  key={props.rowKey(row)}
                  className={cls || undefined}
                  onClick={href ? (e) => openRow(e, href) : undefined}
                >
                  {props.columns.map((c) => (
                    <td key={c.label} className={c.num ? 'num' : undefined}>
                      {c.render(row)}
                    </td>
                  ))}
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </div>
  );
}
