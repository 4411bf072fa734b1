import type { AvailableOutput } from '@hourglass/journey';
import { useMemo, useState } from 'react';
import { useServerPreview } from '../api/preview';
import { previewBody, useSampleSteps } from '../inspector/Preview';
import { PreviewCustomer, usePreviewTarget } from '../inspector/PreviewCustomer';

const WIDTHS = { desktop: 640, mobile: 375 } as const;
type Width = keyof typeof WIDTHS;
const selectTarget = (s: { customerId: string | null; orderId: string | null }) => s;

/** The email as the server renders it for a real customer, in a desktop- or phone-wide frame. */
export function ComposerPreview({
  config,
  outputs,
}: {
  config: Record<string, unknown>;
  outputs: readonly AvailableOutput[];
}) {
  const [width, setWidth] = useState<Width>('desktop');
  const { customerId, orderId } = usePreviewTarget(selectTarget);
  const steps = useSampleSteps(outputs);
  const body = useMemo(
    () => previewBody('send_email', config, customerId, orderId, steps),
    [config, customerId, orderId, steps],
  );
  const preview = useServerPreview(body);
  const result = preview.data;
  return (
    <section
      className="composer-preview"
      // Named apart from the inspector's own "Preview" region behind the dialog.
      aria-label="Email preview"
      aria-busy={preview.isFetching}
    >
      <div className="composer-preview-head">
        <h3 id="composer-preview-title">Preview</h3>
        <fieldset className="segmented">
          <legend className="sr-only">Preview width</legend>
          {(Object.keys(WIDTHS) as Width[]).map((w) => (
            <button
              key={w}
              type="button"
              className="btn small"
              aria-pressed={width === w}
              onClick={() => setWidth(w)}
            >
              {w === 'desktop' ? 'Desktop' : 'Mobile'} ({WIDTHS[w]}px)
            </button>
          ))}
        </fieldset>
        {preview.isFetching && <span className="muted small">Rendering…</span>}
      </div>
      <PreviewCustomer />
      {preview.error && (
        <p className="field-error" role="alert">
          Could not render the preview: {preview.error.message}
        </p>
      )}
      {result && !result.ok && (
        <div className="preview-error" role="alert" data-testid="composer-preview-error">
          <strong>Template error in {result.field}:</strong> {result.message}
        </div>
      )}
      {result?.ok && (
        <>
          <p className="preview-subject" data-testid="composer-subject">
            {result.subject || '(no subject)'}
          </p>
          {result.warnings.length > 0 && (
            <ul className="preview-warnings">
              {result.warnings.map((w) => (
                <li key={w.variable}>{w.message}</li>
              ))}
            </ul>
          )}
          <div className="composer-frame-wrap">
            {/* An empty sandbox: the email's HTML can neither run scripts nor reach the app. */}
            <iframe
              className="composer-frame"
              data-width={width}
              title={`Email preview, ${width} width`}
              sandbox=""
              srcDoc={result.html ?? ''}
              style={{ width: WIDTHS[width] }}
            />
          </div>
        </>
      )}
    </section>
  );
}
