import { useEffect, useState } from 'react';
import { useJourneys } from '../api/queries';
import { type MessageFilters, useMessageLog } from '../api/support';
import { navigate, useSearch } from '../router';
import { yourTime, yourTimeHint } from './format';
import { ListPage } from './ListPage';
import { type Direction, ReceivedTexts } from './ReceivedTexts';

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

/**
 * Every message the workspace sent (or skipped), filterable by channel, status, journey, customer and
 * date; test sends show with a Test badge and no customer. A row opens the message.
 */
export function MessagesPage() {
  // The customer filter comes from the address ("All messages to this customer"), and goes with it.
  const urlCustomer = new URLSearchParams(useSearch()).get('customerId') ?? '';
  const [f, setF] = useState<MessageFilters>(() => ({ ...EMPTY, customerId: urlCustomer }));
  useEffect(() => setF((cur) => ({ ...cur, customerId: urlCustomer })), [urlCustomer]);
  const journeys = useJourneys();
  const [direction, setDirection] = useState<Direction>('sent');
  const log = useMessageLog(f);
  const set = (k: keyof MessageFilters) => (e: { target: { value: string } }) =>
    setF({ ...f, [k]: e.target.value });
  const directionPicker = (
    <label>
      Direction
      <select value={direction} onChange={(e) => setDirection(e.target.value as Direction)}>
        <option value="sent">Sent</option>
        <option value="received">Received (replies)</option>
        <option value="unmatched">Received from unknown numbers</option>
      </select>
    </label>
  );
  if (direction !== 'sent') return <ReceivedTexts direction={direction} picker={directionPicker} />;
  return (
    <ListPage
      title="Messages"
      actions={
        <form className="row filters" aria-label="Filter messages" onSubmit={(e) => e.preventDefault()}>
          {directionPicker}
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
      query={log}
      empty="No messages match these filters."
      rowKey={(m) => m.id}
      rowHref={(m) => `/messages/${m.id}`}
      columns={[
        { label: 'Created', hint: yourTimeHint(), render: (m) => yourTime(m.createdAt) },
        { label: 'Channel', render: (m) => (m.channel === 'sms' ? 'SMS' : 'Email') },
        {
          label: 'Recipient',
          render: (m) => (
            <>
              {m.toAddress || '(no address)'}
              {m.test && <span className="pill test-badge">Test</span>}
            </>
          ),
        },
        {
          label: 'Customer',
          render: (m) =>
            m.customerId ? (
              <a
                href={`/customers/${m.customerId}`}
                onClick={(e) => {
                  e.preventDefault();
                  navigate(`/customers/${m.customerId}`);
                }}
              >
                {m.customerLabel ?? 'Unnamed customer'}
              </a>
            ) : (
              <span className="muted">— (test)</span>
            ),
        },
        { label: 'Journey', render: (m) => m.journeyName ?? '—' },
        {
          label: 'Subject / text',
          // The keyboard's way to the message (the whole row opens it on click).
          render: (m) => (
            <a
              href={`/messages/${m.id}`}
              onClick={(e) => {
                e.preventDefault();
                navigate(`/messages/${m.id}`);
              }}
            >
              {m.subject ?? m.bodyText?.slice(0, 80) ?? '(no content)'}
            </a>
          ),
        },
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
