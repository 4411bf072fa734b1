import { useState } from 'react';
import { useJourneys } from '../api/queries';
import { type MessageFilters, useMessageLog } from '../api/support';
import { navigate } from '../router';
import { ListPage } from './ListPage';

const STATUSES = [
  'sent',
  'delivered',
  'opened',
  'clicked',
  'skipped',
  'failed',
  'bounced',
  'undelivered',
  'outbox',
];
const EMPTY: MessageFilters = { channel: '', status: '', journeyId: '', customerId: '', from: '', to: '' };

/** Every message the workspace sent (or skipped), filterable by channel, status, journey, customer and date. */
export function MessagesPage() {
  const [f, setF] = useState<MessageFilters>(() => ({
    ...EMPTY,
    customerId: new URLSearchParams(window.location.search).get('customerId') ?? '',
  }));
  const journeys = useJourneys();
  const set = (k: keyof MessageFilters) => (e: { target: { value: string } }) =>
    setF({ ...f, [k]: e.target.value });
  return (
    <ListPage
      title="Messages"
      actions={
        <form className="row filters" aria-label="Filter messages" onSubmit={(e) => e.preventDefault()}>
          <label>
            Channel
            <select value={f.channel} onChange={set('channel')}>
              <option value="">Any</option>
              <option value="email">Email</option>
              <option value="sms">SMS</option>
            </select>
          </label>
          <label>
            Status
            <select value={f.status} onChange={set('status')}>
              <option value="">Any</option>
              {STATUSES.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </label>
          <label>
            Journey
            <select value={f.journeyId} onChange={set('journeyId')}>
              <option value="">Any</option>
              {(journeys.data ?? []).map((j) => (
                <option key={j.id} value={j.id}>
                  {j.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            From
            <input type="date" value={f.from} onChange={set('from')} />
          </label>
          <label>
            To
            <input type="date" value={f.to} onChange={set('to')} />
          </label>
          {f.customerId && (
            <button type="button" className="btn" onClick={() => setF({ ...f, customerId: '' })}>
              Clear customer filter
            </button>
          )}
        </form>
      }
      query={useMessageLog(f)}
      empty="No messages match these filters."
      rowKey={(m) => m.id}
      columns={[
        { label: 'Created', render: (m) => m.createdAt.toLocaleString() },
        { label: 'Channel', render: (m) => (m.channel === 'sms' ? 'SMS' : 'Email') },
        {
          label: 'Customer',
          render: (m) => (
            <a
              href={`/customers/${m.customerId}`}
              onClick={(e) => {
                e.preventDefault();
                navigate(`/customers/${m.customerId}`);
              }}
            >
              {m.customerName ?? m.customerEmail ?? m.toAddress}
            </a>
          ),
        },
        { label: 'Journey', render: (m) => m.journeyName ?? '—' },
        { label: 'Subject / text', render: (m) => m.subject ?? m.bodyText?.slice(0, 80) ?? '—' },
        {
          label: 'Status',
          render: (m) => (
            <span className={`pill status-${m.status}`}>
              {m.status}
              {m.skipReason ? `: ${m.skipReason.replaceAll('_', ' ')}` : ''}
            </span>
          ),
        },
        {
          label: 'Run',
          render: (m) =>
            m.runId ? (
              <a
                href={`/runs/${m.runId}`}
                onClick={(e) => {
                  e.preventDefault();
                  navigate(`/runs/${m.runId}`);
                }}
              >
                Open run
              </a>
            ) : (
              '—'
            ),
        },
      ]}
    />
  );
}
