import type { PreviewBody } from '@hourglass/contract';
import { Send } from 'lucide-react';
import { useId, useState } from 'react';
import { ApiError } from '../api/client';
import { useTestSend } from '../api/preview';
import { navigate } from '../router';

const EMAIL = /^[^@\s<>"]+@[^@\s<>"]+\.[^@\s<>"]+$/;
const E164 = /^\+[1-9]\d{6,14}$/;

/** What is wrong with the address before asking the server (which checks the same). */
export function addressProblem(channel: 'email' | 'sms', to: string): string | null {
  if (!to.trim()) return channel === 'email' ? 'Enter an email address' : 'Enter a phone number';
  if (channel === 'email') return EMAIL.test(to.trim()) ? null : 'Enter an email address, e.g. you@shop.com';
  return E164.test(to.trim()) ? null : 'Enter the number in international format, e.g. +15551234567';
}

/** "Send test": renders the previewed content for the chosen customer and sends it to one address. */
export function TestSend({ body }: { body: PreviewBody | null }) {
  const id = useId();
  const channel = body?.content.channel ?? 'email';
  const [to, setTo] = useState('');
  const [tried, setTried] = useState(false);
  const send = useTestSend();
  const local = tried ? addressProblem(channel, to) : null;
  const serverError = send.error;
  const field = serverError instanceof ApiError ? serverError.body.field : undefined;
  const problem = local ?? (serverError && field?.endsWith('to') ? serverError.message : null);
  return (
    <form
      className="test-send-form"
      aria-label="Send a test"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        setTried(true);
        if (!body || addressProblem(channel, to)) return;
        send.mutate({ ...body, to: to.trim() });
      }}
    >
      <div className="test-send">
        <div className={`field${problem ? ' invalid' : ''}`}>
          <label htmlFor={`${id}-to`}>{channel === 'email' ? 'Send a test to' : 'Text a test to'}</label>
          <input
            id={`${id}-to`}
            type={channel === 'email' ? 'email' : 'tel'}
            placeholder={channel === 'email' ? 'you@shop.com' : '+15551234567'}
            value={to}
            aria-invalid={!!problem}
            aria-describedby={problem ? `${id}-to-error` : undefined}
            onChange={(e) => setTo(e.target.value)}
          />
        </div>
        <button type="submit" className="btn small" disabled={!body || send.isPending}>
          <Send size={14} /> {send.isPending ? 'Sending…' : 'Send test'}
        </button>
      </div>
      {problem && (
        <p className="field-error" id={`${id}-to-error`}>
          {problem}
        </p>
      )}
      {serverError && !problem && (
        <p className="field-error" role="alert">
          Test not sent: {serverError.message}
          {field ? ` (${field})` : ''}
        </p>
      )}
      {send.data && !send.isPending && !serverError && (
        <p className="small" role="status" data-testid="test-send-result">
          Test {send.data.channel === 'sms' ? 'text' : 'email'} to {send.data.to}: {send.data.status} via{' '}
          {send.data.provider}.{' '}
          <a
            href="/messages"
            onClick={(e) => {
              e.preventDefault();
              navigate('/messages');
            }}
          >
            See it in Messages
          </a>
        </p>
      )}
    </form>
  );
}
