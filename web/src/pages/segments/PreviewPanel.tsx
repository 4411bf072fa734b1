import type { Rule } from '@hourglass/journey';
import { ApiError } from '../../api/client';
import { useRulePreview } from '../../api/segments';
import { navigate } from '../../router';

/** Live count and sample of the customers the rule matches, straight from the server's SQL. */
export function PreviewPanel({ rule }: { rule: Rule | null }) {
  const preview = useRulePreview(rule);
  const error = preview.error;
  return (
    <section className="segment-preview" aria-labelledby="segment-preview-title" aria-busy={preview.updating}>
      <h2 id="segment-preview-title" className="section-title">
        Who matches
      </h2>
      {rule === null && <p className="muted">Fix the conditions marked in red to see who matches.</p>}
      {rule !== null && error && (
        <p className="field-error" role="alert">
          {error.message}
          {error instanceof ApiError && error.body.field ? ` (${error.body.field})` : ''}
        </p>
      )}
      {rule !== null && !error && preview.data && (
        <>
          <p className="segment-count" aria-live="polite">
            <strong data-testid="segment-count" data-updating={preview.updating}>
              {preview.data.count.toLocaleString()}
            </strong>{' '}
            {preview.data.count === 1 ? 'customer' : 'customers'}
            {preview.updating && <span className="muted small"> · updating…</span>}
          </p>
          {preview.data.sample.length > 0 && (
            <ul className="segment-sample" aria-label="Sample customers">
              {preview.data.sample.map((c) => (
                <li key={c.id}>
                  <a
                    href={`/customers/${c.id}`}
                    onClick={(e) => {
                      e.preventDefault();
                      navigate(`/customers/${c.id}`);
                    }}
                  >
                    {[c.firstName, c.lastName].filter(Boolean).join(' ') || c.email || c.id}
                  </a>
                  {c.email && <span className="muted small"> {c.email}</span>}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
      {rule !== null && !error && !preview.data && <p className="muted">Counting…</p>}
    </section>
  );
}
