import type { MessageDetail } from '@hourglass/contract';
import type { ReactNode } from 'react';
import { useMessage } from '../api/support';
import { navigate } from '../router';
import { browserZone, inZone } from './format';

function Link({ to, children }: { to: string; children: ReactNode }) {
  return (
    <a
      href={to}
      onClick={(e) => {
        e.preventDefault();
        navigate(to);
      }}
    >
      {children}
    </a>
  );
}

// Outside the run timeline, times are the reader's own zone, and say so.
const when = (d: Date | null) => (d ? inZone(d, browserZone()) : '—');
const channelName = (c: string) => (c === 'sms' ? 'SMS' : 'Email');

/** One message as it was sent: subject, recipient, status history, rendered body, and what sent it. */
export function MessageDetailPage({ id }: { id: string }) {
  const q = useMessage(id);
  if (q.isLoading) return <p className="muted">Loading…</p>;
  const m = q.data;
  if (!m) return <p className="field-error">Could not load this message: {q.error?.message}</p>;
  const title = m.subject ?? `${channelName(m.channel)} to ${m.toAddress}`;
  return (
    <div className="list-page profile message-detail">
      <header className="page-header">
        <div>
          <h1>
            {title} {m.test && <span className="pill test-badge">Test</span>}
          </h1>
          <p>
            <span className={`pill status-${m.status}`}>{m.status}</span>
            {m.skipReason ? ` · skipped: ${m.skipReason.replaceAll('_', ' ')}` : ''}
          </p>
        </div>
        <Link to="/messages">← All messages</Link>
      </header>
      <div className="cards">
        <section className="card" aria-labelledby="msg-sent">
          <h2 id="msg-sent">Sent</h2>
          <dl className="facts">
            <Fact k="Recipient" v={m.toAddress || '(no address)'} />
            <Fact k="From" v={m.fromAddress ?? '—'} />
            <Fact k="Channel" v={channelName(m.channel)} />
            <Fact k="Customer" v={<Customer m={m} />} />
            <Fact k="Created" v={when(m.createdAt)} />
            <Fact k="Sent" v={when(m.sentAt)} />
            <Fact k="Provider" v={`${m.provider}${m.providerMessageId ? ` · ${m.providerMessageId}` : ''}`} />
            <Fact k="Transactional" v={m.transactional ? 'yes' : 'no'} />
            <Fact k="Consent" v={<span data-testid="consent-note">{m.consentNote ?? '—'}</span>} />
          </dl>
        </section>
        <section className="card" aria-labelledby="msg-by">
          <h2 id="msg-by">Sent by</h2>
          {m.runId ? (
            <dl className="facts">
              <Fact k="Journey" v={m.journeyName ?? '(deleted journey)'} />
              <Fact k="Step" v={m.stepLabel ?? m.stepId ?? '—'} />
              <Fact k="Run" v={<Link to={`/runs/${m.runId}`}>Open run</Link>} />
            </dl>
          ) : (
            <p className="muted">
              {m.test ? 'A test send from the journey editor, to a tester.' : 'No journey run.'}
            </p>
          )}
          {m.error && <p className="field-error">{String(m.error.reason ?? m.error.code ?? 'Failed')}</p>}
        </section>
      </div>
      <section aria-labelledby="msg-history">
        <h2 id="msg-history">Status history</h2>
        <ol className="tl-details" data-testid="status-history">
          {m.statusHistory.map((h) => (
            <li key={`${h.status}-${h.at.toISOString()}`}>
              {h.status} · {when(h.at)}
              {h.detail ? ` · ${h.detail}` : ''}
            </li>
          ))}
        </ol>
      </section>
      <section aria-labelledby="msg-body">
        <h2 id="msg-body">As sent</h2>
        <div className={`preview-card ${m.channel}`} data-testid="message-body">
          {m.preheader && <div className="muted small">{m.preheader}</div>}
          {m.bodyHtml ? (
            <iframe
              title={`Email: ${m.subject ?? ''}`}
              sandbox=""
              srcDoc={m.bodyHtml}
              className="preview-frame"
            />
          ) : (
            <div className="preview-body">{m.bodyText ?? '(no content)'}</div>
          )}
        </div>
      </section>
    </div>
  );
}

function Fact({ k, v }: { k: string; v: ReactNode }) {
  return (
    <div>
      <dt>{k}</dt>
      <dd>{v}</dd>
    </div>
  );
}

function Customer({ m }: { m: MessageDetail }) {
  if (!m.customerId) return <span className="muted">none (test send)</span>;
  return <Link to={`/customers/${m.customerId}`}>{m.customerLabel ?? 'Unnamed customer'}</Link>;
}
