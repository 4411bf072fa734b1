import type { ReactNode } from 'react';

/** A simple data page: title, optional actions, loading / error / empty states, then a table. */
export function ListPage<T>(props: {
  title: string;
  actions?: ReactNode;
  query: { isLoading: boolean; error: Error | null; data: T[] | undefined };
  empty: string;
  columns: { label: string; render: (row: T) => ReactNode; num?: boolean }[];
  rowKey: (row: T) => string;
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
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {query.data.map((row) => (
              <tr key={props.rowKey(row)} className={props.rowClass?.(row)}>
                {props.columns.map((c) => (
                  <td key={c.label} className={c.num ? 'num' : undefined}>
                    {c.render(row)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
