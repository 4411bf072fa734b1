import { useEffect, useState } from 'react';
import { useCustomers } from '../api/queries';
import { previewScope, renderTemplate } from './preview-render';

/** Live preview of a message node for a chosen customer (rendered locally with liquidjs). */
export function Preview({ config }: { config: Record<string, unknown> }) {
  const customers = useCustomers('');
  const [customerId, setCustomerId] = useState('');
  const [out, setOut] = useState<{ subject?: string; body: string } | null>(null);
  const customer = customers.data?.find((c) => c.id === customerId) ?? null;
  const isEmail = 'subject' in config;

  useEffect(() => {
    let live = true;
    const scope = previewScope(customer);
    const t = setTimeout(async () => {
      const body = await renderTemplate(String((isEmail ? config.body : config.text) ?? ''), scope);
      const subject = isEmail ? await renderTemplate(String(config.subject ?? ''), scope) : undefined;
      if (live) setOut({ body, ...(subject !== undefined ? { subject } : {}) });
    }, 150);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [config, customer, isEmail]);

  return (
    <section className="preview" aria-label="Preview">
      <div className="preview-head">
        <h3>Preview</h3>
        <label className="inline small">
          for{' '}
          <select
            value={customerId}
            onChange={(e) => setCustomerId(e.target.value)}
            aria-label="Preview customer"
          >
            <option value="">Sample customer (Ada)</option>
            {(customers.data ?? []).slice(0, 50).map((c) => (
              <option key={c.id} value={c.id}>
                {[c.firstName, c.lastName].filter(Boolean).join(' ') || c.email || c.externalId}
              </option>
            ))}
          </select>
        </label>
      </div>
      {out && (
        <div className={`preview-card ${isEmail ? 'email' : 'sms'}`} data-testid="preview">
          {out.subject !== undefined && (
            <div className="preview-subject">{out.subject || '(no subject)'}</div>
          )}
          <div className="preview-body">{out.body || <span className="muted">(empty)</span>}</div>
        </div>
      )}
      <p className="muted small">Sample order #1042. Rendered in your browser.</p>
    </section>
  );
}
