import { useState } from 'react';
import { useMessages } from '../api/queries';
import { ListPage } from './ListPage';

/** Messages: the local outbox (no provider keys) and what was sent. */
export function MessagesPage() {
  const [tab, setTab] = useState<'outbox' | 'sent'>('outbox');
  return (
    <ListPage
      title="Messages"
      actions={
        <div className="tabs" role="tablist" aria-label="Messages">
          {(['outbox', 'sent'] as const).map((t) => (
            <button
              key={t}
              type="button"
              role="tab"
              aria-selected={tab === t}
              className={`tab${tab === t ? ' active' : ''}`}
              onClick={() => setTab(t)}
            >
              {t === 'outbox' ? 'Outbox' : 'Sent'}
            </button>
          ))}
        </div>
      }
      query={useMessages(tab)}
      empty={tab === 'outbox' ? 'The outbox is empty.' : 'Nothing sent yet.'}
      rowKey={(m) => m.id}
      columns={[
        { label: 'Channel', render: (m) => m.channel },
        { label: 'To', render: (m) => m.toAddress },
        { label: 'Subject / text', render: (m) => m.subject ?? m.bodyText?.slice(0, 80) ?? '—' },
        { label: 'Status', render: (m) => <span className="pill">{m.status}</span> },
        { label: 'Created', render: (m) => m.createdAt.toLocaleString() },
      ]}
    />
  );
}
