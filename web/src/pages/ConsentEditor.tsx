import { type ConsentChangeBody, ConsentChoice } from '@hourglass/contract';
import { useState } from 'react';
import { useAccess } from '../access';
import { useChangeConsent } from '../api/support';
import { toast } from '../ui/toast';

type Consent = { email: string; sms: string };

/** A support action: set a customer's email / SMS consent, with the reason kept in the audit log. */
export function ConsentEditor({ customerId, consent }: { customerId: string; consent: Consent }) {
  const allowed = useAccess().can('support');
  const [open, setOpen] = useState(false);
  const [email, setEmail] = useState(consent.email);
  const [sms, setSms] = useState(consent.sms);
  const [reason, setReason] = useState('');
  const save = useChangeConsent(customerId);
  if (!allowed) return null;
  if (!open)
    return (
      <button type="button" className="btn small" onClick={() => setOpen(true)}>
        Change consent
      </button>
    );
  const pick = (v: string) => ConsentChoice.safeParse(v).data;
  return (
    <form
      className="reason-form"
      aria-label="Change consent"
      onSubmit={(e) => {
        e.preventDefault();
        const body: ConsentChangeBody = { reason: reason.trim() };
        if (email !== consent.email && pick(email)) body.email = pick(email);
        if (sms !== consent.sms && pick(sms)) body.sms = pick(sms);
        save.mutate(body, {
          onSuccess: () => {
            setOpen(false);
            setReason('');
            toast('Consent changed');
          },
        });
      }}
    >
      {(['email', 'sms'] as const).map((ch) => (
        <label key={ch} className="row">
          {ch === 'email' ? 'Email' : 'SMS'}
          <select
            value={ch === 'email' ? email : sms}
            onChange={(e) => (ch === 'email' ? setEmail : setSms)(e.target.value)}
          >
            {[...new Set([...ConsentChoice.options, consent[ch]])].map((o) => (
              <option key={o} value={o}>
                {o}
              </option>
            ))}
          </select>
        </label>
      ))}
      <label htmlFor="consent-reason">Reason (kept in the audit log)</label>
      <textarea
        id="consent-reason"
        rows={2}
        required
        value={reason}
        onChange={(e) => setReason(e.target.value)}
      />
      {save.error && (
        <p className="field-error" role="alert">
          {save.error.message}
        </p>
      )}
      <div className="row">
        <button
          type="submit"
          className="btn primary"
          disabled={save.isPending || !reason.trim() || (email === consent.email && sms === consent.sms)}
        >
          Save consent
        </button>
        <button type="button" className="btn" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
