import type { MessageView, TimelineEntry } from '@hourglass/contract';
import { useState } from 'react';
import { useAccess } from '../access';
import { useCancelRun, useRetryMessage, useRunTimeline } from '../api/support';
import { navigate } from '../router';
import { inZone } from './format';
import { ReasonForm } from './ReasonForm';
import { Attempts } from './run/Attempts';
import { StepOutput } from './run/StepOutput';

/** One run explained: every step with the why, what it waits for, the messages as sent, and actions. */
export function RunPage({ id }: { id: string }) {
  const timeline = useRunTimeline(id);
  const cancel = useCancelRun(id);
  const [cancelling, setCancelling] = useState(false);
  // Cancelling and retrying are support actions (support, admin, owner roles).
  const canAct = useAccess().can('support');
  if (timeline.isLoading) return <p className="muted">Loading…</p>;
  const t = timeline.data;
  if (!t) return <p className="field-error">Could not load this run: {timeline.error?.message}</p>;
  const active = t.run.status === 'running' || t.run.status === 'waiting';
  const tz = t.customer.timezone;
  return (
    <div className="list-page run-page">
      <header className="page-header">
        <div>
          <h1>
            {t.run.journeyName} <span className="muted">v{t.run.version}</span>
          </h1>
          <p>
            For{' '}
            <a
              href={`/customers/${t.customer.id}`}
              onClick={(e) => {
                e.preventDefault();
                navigate(`/customers/${t.customer.id}`);
              }}
            >
              {t.customer.name}
            </a>{' '}
            · started {inZone(t.run.startedAt, tz)} ·{' '}
            <span className={`pill run-${t.run.status}`}>{t.run.status}</span>
          </p>
        </div>
        <div className="row">
          <a className="btn" href={t.temporalUrl} target="_blank" rel="noreferrer">
            Open in Temporal
          </a>
          {active && canAct && !cancelling && (
            <button type="button" className="btn danger" onClick={() => setCancelling(true)}>
              Cancel run
            </button>
          )}
        </div>
      </header>
      {cancelling && (
        <ReasonForm
          title="Cancel this run"
          confirm="Cancel run"
          busy={cancel.isPending}
          error={cancel.error?.message ?? null}
          onCancel={() => setCancelling(false)}
          onConfirm={(reason) => cancel.mutate(reason, { onSuccess: () => setCancelling(false) })}
        />
      )}
      {t.waiting && (
        <p className="notice" role="status" data-testid="waiting">
          <strong>Now:</strong> {t.waiting.text}
        </p>
      )}
      {!t.waiting && <p className="notice">{t.run.state}</p>}
      <p className="small muted" data-testid="timeline-zone">
        Times are in the customer's time zone ({tz || 'UTC'}
        {tz ? '' : ': none on file'}).
      </p>
      <ol className="timeline" aria-label="Run timeline">
        {t.entries.map((e) => (
          <Entry key={`${e.stepId}/${e.seq}/${e.primitive}`} entry={e} tz={tz} runId={id} />
        ))}
      </ol>
    </div>
  );
}

function Entry({ entry: e, tz, runId }: { entry: TimelineEntry; tz: string | null; runId: string }) {
  return (
    <li
      className={`tl tone-${e.tone}`}
      data-testid={`step-${e.primitive === 'entry' ? 'entry' : e.nodeId || 'end'}`}
    >
      <div className="tl-head">
        <time dateTime={e.at.toISOString()} className="muted small">
          {inZone(e.at, tz)}
        </time>
        {e.nodeLabel && <span className="tl-node">{e.nodeLabel}</span>}
      </div>
      <p className="tl-title">{e.title}</p>
      {e.details.length > 0 && (
        <ul className="tl-details">
          {e.details.map((d) => (
            <li key={d}>{d}</li>
          ))}
        </ul>
      )}
      <Attempts attempts={e.attempts} tz={tz} />
      <StepOutput output={e.output} />
      {e.messages.map((m) => (
        <Message key={m.id} m={m} runId={runId} tz={tz} />
      ))}
    </li>
  );
}

function Message({ m, runId, tz }: { m: MessageView; runId: string; tz: string | null }) {
  const [open, setOpen] = useState(false);
  const [retrying, setRetrying] = useState(false);
  const retry = useRetryMessage(runId);
  const canAct = useAccess().can('support');
  const canRetry = canAct && (m.status === 'failed' || m.status === 'undelivered');
  const content = m.channel === 'email' ? m.subject : m.bodyText;
  return (
    <div className="tl-message">
      <div className="row">
        <span className="small">
          {m.channel === 'sms' ? 'SMS' : 'Email'} to {m.toAddress || '(no address)'} · {m.status}
          {m.idempotencyKey.includes(':retry:') ? ' · manual retry' : ''}
          {m.consentNote ? ` · ${m.consentNote}` : ''}
        </span>
        {content && (
          <button type="button" className="btn small" aria-expanded={open} onClick={() => setOpen(!open)}>
            {open ? 'Hide message' : 'Show message'}
          </button>
        )}
        {canRetry && !retrying && (
          <button type="button" className="btn small" onClick={() => setRetrying(true)}>
            Retry message
          </button>
        )}
      </div>
      {open && (
        <div className={`preview-card ${m.channel}`} data-testid="message-preview">
          {m.subject && <div className="preview-subject">{m.subject}</div>}
          {m.bodyHtml ? (
            <iframe
              title={`Email: ${m.subject ?? ''}`}
              sandbox=""
              srcDoc={m.bodyHtml}
              className="preview-frame"
            />
          ) : (
            <div className="preview-body">{m.bodyText}</div>
          )}
          <ul className="small muted">
            {m.statusHistory.map((h) => (
              <li key={`${h.status}-${h.at.toISOString()}`}>
                {h.status} · {inZone(h.at, tz)}
                {h.detail ? ` · ${h.detail}` : ''}
              </li>
            ))}
          </ul>
        </div>
      )}
      {retrying && (
        <ReasonForm
          title="Retry this message"
          confirm="Send again"
          busy={retry.isPending}
          error={retry.error?.message ?? null}
          onCancel={() => setRetrying(false)}
          onConfirm={(reason) =>
            retry.mutate({ messageId: m.id, reason }, { onSuccess: () => setRetrying(false) })
          }
        />
      )}
    </div>
  );
}
