import type { AuditEntry } from '@hourglass/contract';
import { useState } from 'react';
import { type AuditFilter, useAudit } from '../../api/account';
import { ListPage } from '../ListPage';

const NO_FILTER: AuditFilter = { actor: '', action: '' };

/** Details as short `key: value` pairs (the full entry stays in the API). */
const detailsText = (d: AuditEntry['details']) =>
  Object.entries(d)
    .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' · ');

/** Who did what in the workspace (admins), filtered by actor and action. */
export function AuditSection() {
  const [draft, setDraft] = useState<AuditFilter>(NO_FILTER);
  const [filter, setFilter] = useState<AuditFilter>(NO_FILTER);
  const audit = useAudit(filter);
  // Suggestions come from the latest unfiltered entries; any text can still be typed.
  const recent = useAudit(NO_FILTER).data ?? [];
  const seen = {
    actors: [...new Set(recent.map((r) => r.actor))].sort(),
    actions: [...new Set(recent.map((r) => r.action))].sort(),
  };
  return (
    <ListPage
      title="Settings · Audit log"
      actions={
        <form
          className="row"
          aria-label="Filter the audit log"
          onSubmit={(e) => {
            e.preventDefault();
            setFilter({ actor: draft.actor.trim(), action: draft.action.trim() });
          }}
        >
          <input
            aria-label="Actor"
            placeholder="Actor (user:ana@shop.test)"
            list="audit-actors"
            value={draft.actor}
            onChange={(e) => setDraft({ ...draft, actor: e.target.value })}
          />
          <datalist id="audit-actors">
            {seen.actors.map((a) => (
              <option key={a} value={a} />
            ))}
          </datalist>
          <input
            aria-label="Action"
            placeholder="Action (member.role)"
            list="audit-actions"
            value={draft.action}
            onChange={(e) => setDraft({ ...draft, action: e.target.value.toLowerCase() })}
          />
          <datalist id="audit-actions">
            {seen.actions.map((a) => (
              <option key={a} value={a} />
            ))}
          </datalist>
          <button type="submit" className="btn primary">
            Filter
          </button>
          {(filter.actor || filter.action) && (
            <button
              type="button"
              className="btn"
              onClick={() => {
                setDraft(NO_FILTER);
                setFilter(NO_FILTER);
              }}
            >
              Clear
            </button>
          )}
        </form>
      }
      query={audit}
      empty={filter.actor || filter.action ? 'Nothing matches these filters.' : 'Nothing recorded yet.'}
      rowKey={(r) => r.id}
      columns={[
        { label: 'When', render: (r) => r.at.toLocaleString() },
        { label: 'Actor', render: (r) => r.actor },
        { label: 'Action', render: (r) => <code>{r.action}</code> },
        { label: 'Target', render: (r) => r.target ?? '' },
        { label: 'Reason', render: (r) => r.reason ?? '' },
        { label: 'Details', render: (r) => <span className="small muted">{detailsText(r.details)}</span> },
      ]}
    />
  );
}
