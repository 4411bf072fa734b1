import type { ReactNode } from 'react';
import { useInboundTexts } from '../api/support';
import { navigate } from '../router';
import { yourTime, yourTimeHint } from './format';
import { ListPage } from './ListPage';

/** Which way the message log looks: what we sent, or the texts we received (all, or unmatched only). */
export type Direction = 'sent' | 'received' | 'unmatched';

const link = (href: string, label: ReactNode) => (
  <a
    href={href}
    onClick={(e) => {
      e.preventDefault();
      navigate(href);
    }}
  >
    {label}
  </a>
);

/**
 * Texts customers sent (replies, STOP, photos): whose each is and the message it answers. A text from a
 * number no customer has shows as Unmatched: it was kept, but no journey heard of it.
 */
export function ReceivedTexts({
  direction,
  picker,
}: {
  direction: Exclude<Direction, 'sent'>;
  picker: ReactNode;
}) {
  const query = useInboundTexts(direction === 'unmatched', true);
  return (
    <ListPage
      title="Messages"
      actions={
        <form className="row filters" aria-label="Filter messages" onSubmit={(e) => e.preventDefault()}>
          {picker}
        </form>
      }
      query={query}
      empty={direction === 'unmatched' ? 'No texts from unknown numbers.' : 'No texts received yet.'}
      rowKey={(m) => m.id}
      columns={[
        { label: 'Received', hint: yourTimeHint(), render: (m) => yourTime(m.receivedAt) },
        { label: 'From', render: (m) => m.fromAddress },
        {
          label: 'Customer',
          render: (m) =>
            m.customerId ? (
              link(`/customers/${m.customerId}`, m.customerLabel ?? 'Unnamed customer')
            ) : (
              <span className="pill status-failed">Unmatched</span>
            ),
        },
        {
          label: 'Text',
          render: (m) => (
            <>
              {m.body ? m.body.slice(0, 120) : <span className="muted">(no text)</span>}
              {m.mediaCount > 0 && (
                <span className="muted">
                  {' '}
                  · {m.mediaCount} {m.mediaCount === 1 ? 'photo or file' : 'photos or files'}
                </span>
              )}
            </>
          ),
        },
        { label: 'Keyword', render: (m) => m.keyword ?? '—' },
        {
          label: 'In reply to',
          render: (m) => (m.replyToMessageId ? link(`/messages/${m.replyToMessageId}`, 'Our message') : '—'),
        },
      ]}
    />
  );
}
