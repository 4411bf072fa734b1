import type { JsonObject, PreviewBody, PreviewResult, PreviewWarning } from '@hourglass/contract';
import type { AvailableOutput } from '@hourglass/journey';
import type { EmailBlocks } from '@hourglass/nodes';
import { useMemo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useServerPreview } from '../api/preview';
import { type EditorState, useEditor } from '../canvas/store';
import { PreviewCustomer, usePreviewTarget } from './PreviewCustomer';
import { type SampleProducer, sampleNote, sampleStepOutputs } from './sample-outputs';
import { smsEncoding } from './sms-encoding';
import { TestSend } from './TestSend';

const str = (v: unknown) => (typeof v === 'string' ? v : '');
const selectTarget = (s: { customerId: string | null; orderId: string | null }) => s;

/** The preview request for a send step's config, or null until a customer is chosen. */
export function previewBody(
  kind: 'send_email' | 'send_sms',
  config: Record<string, unknown>,
  customerId: string | null,
  orderId: string | null,
  steps: Record<string, JsonObject> = {},
): PreviewBody | null {
  if (!customerId) return null;
  const transactional = config.transactional === true;
  const content: PreviewBody['content'] =
    kind === 'send_email'
      ? {
          channel: 'email',
          subject: str(config.subject),
          preheader: str(config.preheader),
          body: str(config.body),
          // A composer email renders its blocks (the server compiles them); the raw body is kept aside.
          ...(config.mode === 'blocks' && Array.isArray(config.blocks)
            ? { blocks: config.blocks as EmailBlocks }
            : {}),
          transactional,
        }
      : { channel: 'sms', text: str(config.text), transactional };
  const sampled = Object.keys(steps).length > 0 ? { steps } : {};
  return { customerId, ...(orderId ? { orderId } : {}), content, ...sampled };
}

/** Whether a message's templates read step outputs at all (only then is the samples note worth a line). */
const readsSteps = (content: PreviewBody['content']) =>
  /\bsteps\b/.test(
    content.channel === 'email'
      ? content.subject + content.preheader + content.body + JSON.stringify(content.blocks ?? [])
      : content.text,
  );

/**
 * Sample outputs of the steps that reach this message, from their producers' current config. Only
 * the producers' kind and data are selected: both keep their identity while nodes are dragged.
 */
export function useSampleSteps(outputs: readonly AvailableOutput[]): Record<string, JsonObject> {
  const [now] = useState(() => new Date());
  const nodeOf = (s: EditorState, id: string) => s.nodes.find((n) => n.id === id);
  const kinds = useEditor(useShallow((s: EditorState) => outputs.map((o) => nodeOf(s, o.nodeId)?.type)));
  const data = useEditor(useShallow((s: EditorState) => outputs.map((o) => nodeOf(s, o.nodeId)?.data)));
  return useMemo(() => {
    const byId = new Map<string, SampleProducer>();
    outputs.forEach((o, i) => {
      const config = data[i]?.config;
      if (config) byId.set(o.nodeId, { kind: kinds[i] ?? '', config });
    });
    return sampleStepOutputs(outputs, (id) => byId.get(id), now);
  }, [outputs, kinds, data, now]);
}

/** Live preview of a message step, rendered by the server for a real customer; plus "Send test". */
export function Preview({
  kind,
  config,
  outputs,
}: {
  kind: 'send_email' | 'send_sms';
  config: Record<string, unknown>;
  /** Step outputs that reach this message: the preview renders them with sample values. */
  outputs: readonly AvailableOutput[];
}) {
  const { customerId, orderId } = usePreviewTarget(selectTarget);
  const steps = useSampleSteps(outputs);
  const body = useMemo(
    () => previewBody(kind, config, customerId, orderId, steps),
    [kind, config, customerId, orderId, steps],
  );
  const preview = useServerPreview(body);
  const note = body?.steps && readsSteps(body.content) ? sampleNote(body.steps) : null;
  return (
    <section className="preview" aria-labelledby="preview-title" aria-busy={preview.isFetching}>
      <div className="preview-head">
        <h3 id="preview-title">Preview</h3>
        {preview.isFetching && <span className="muted small">Rendering…</span>}
      </div>
      <PreviewCustomer />
      {!customerId && (
        <p className="muted small">Previews render for a real customer: add one through the API first.</p>
      )}
      {preview.error && (
        <p className="field-error" role="alert">
          Could not render the preview: {preview.error.message}
        </p>
      )}
      {preview.data && !preview.error && <Rendered result={preview.data} />}
      {preview.data && note && (
        <p className="muted small" data-testid="preview-samples">
          {note}
        </p>
      )}
      <TestSend body={body} />
    </section>
  );
}

function Rendered({ result }: { result: PreviewResult }) {
  if (!result.ok) {
    return (
      <div className="preview-error" role="alert" data-testid="preview-error">
        <strong>Template error in {result.field}:</strong> {result.message}
      </div>
    );
  }
  if (result.channel === 'sms') {
    // Segments count the text as sent: with click tracking, its links are shortened to our redirect.
    const sent = result.sentText ?? result.text;
    const enc = smsEncoding(sent);
    return (
      <div data-testid="preview">
        <div className="preview-card sms">
          <div className="preview-body">{result.text || <span className="muted">(empty)</span>}</div>
        </div>
        <p className="muted small" data-testid="sms-segments">
          {result.segments ?? 0} {result.segments === 1 ? 'segment' : 'segments'} · {enc.encoding} ·{' '}
          {sent.length} characters
          {result.sentText !== undefined && ' (links shortened for click tracking)'}
          {enc.nonGsm.length > 0 && ` · not GSM-7: ${enc.nonGsm.join(' ')}`}
        </p>
        <EmptyWarnings warnings={result.warnings} />
      </div>
    );
  }
  return (
    <div className="preview-card email" data-testid="preview">
      <div className="preview-subject" data-testid="preview-subject">
        {result.subject || '(no subject)'}
      </div>
      {result.preheader && <div className="preview-meta">{result.preheader}</div>}
      {result.html !== null && (
        // An empty sandbox: the email's HTML can neither run scripts nor reach the app.
        <iframe className="preview-frame" title="Email preview" sandbox="" srcDoc={result.html} />
      )}
      <details className="preview-meta">
        <summary>Plain text</summary>
        <pre className="preview-body" data-testid="preview-text">
          {result.text}
        </pre>
      </details>
      <EmptyWarnings warnings={result.warnings} />
    </div>
  );
}

/** Variables that render nothing for this customer and order ("Leave a review: " with no link). */
function EmptyWarnings({ warnings }: { warnings: PreviewWarning[] }) {
  if (warnings.length === 0) return null;
  return (
    <div className="preview-warnings" data-testid="preview-warnings">
      <strong>Renders empty for this customer</strong>
      <ul>
        {warnings.map((w) => (
          <li key={w.variable}>{w.message}</li>
        ))}
      </ul>
    </div>
  );
}
