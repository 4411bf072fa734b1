import { createHmac } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import type { ActionContext, SendRequest } from './action-types';
import { ActionError } from './action-types';
import { createActionHandlers } from './actions';
import { webCryptoHmacSha256 } from './webhook/runtime';

const ctx: ActionContext = {
  idempotencyKey: 'run1:step1',
  runId: 'run1',
  stepId: 'step1',
  workspaceId: 'ws1',
  journeyId: 'j1',
  attempt: 1,
  customer: { id: 'c1', email: 'a@b.co' },
  order: { id: 'o1' },
  trigger: null,
  steps: {},
};

function setup(status = 200) {
  const sent: SendRequest[] = [];
  const posted: Array<{ url: string; headers: Record<string, string>; body: string }> = [];
  const updateCustomer = vi.fn(async () => ({ changed: true }));
  const handlers = createActionHandlers({
    messages: {
      send: async (req) => {
        sent.push(req);
        return { status: 'sent', messageId: 'm1' };
      },
    },
    http: {
      fetch: async (url, init) => {
        posted.push({ url, headers: init.headers, body: init.body ?? '' });
        return { status, text: async () => '' };
      },
      hmacSha256: webCryptoHmacSha256,
    },
    secrets: { get: async (name) => (name === 'crm' ? 'whsec_c2VjcmV0LWtleQ==' : null) },
    clock: { now: () => new Date('2025-01-01T00:00:00Z') },
    customers: { update: updateCustomer },
  });
  return { handlers, sent, posted, updateCustomer };
}

describe('action runtimes', () => {
  it('email.send delegates to deps.send with the idempotency key', async () => {
    const { handlers, sent } = setup();
    const input = {
      subject: 'S',
      preheader: '',
      body: 'B',
      fromName: '',
      fromEmail: '',
      replyTo: '',
      transactional: true,
    };
    const res = await handlers['email.send'](input, ctx);
    expect(res).toEqual({ status: 'ok', output: { messageId: 'm1', sendStatus: 'sent' } });
    expect(sent[0]).toMatchObject({
      channel: 'email',
      subject: 'S',
      idempotencyKey: 'run1:step1',
      transactional: true,
    });
  });

  it('rejects malformed input as non-retryable', async () => {
    const { handlers } = setup();
    await expect(handlers['sms.send']({ text: 1 }, ctx)).rejects.toMatchObject({
      code: 'input.invalid',
      retryable: false,
    });
  });

  it('webhook.post signs the body the Standard Webhooks way', async () => {
    const { handlers, posted } = setup();
    const input = {
      url: 'https://example.com/h',
      secretName: 'crm',
      eventName: 'journey.webhook',
      timeoutMs: 5000,
    };
    await expect(handlers['webhook.post'](input, ctx)).resolves.toEqual({
      status: 'ok',
      output: { httpStatus: 200 },
    });
    const { headers, body } = posted[0]!;
    const expected = createHmac('sha256', Buffer.from('c2VjcmV0LWtleQ==', 'base64'))
      .update(`run1:step1.1735689600.${body}`)
      .digest('base64');
    expect(headers['webhook-signature']).toBe(`v1,${expected}`);
    expect(headers['webhook-id']).toBe('run1:step1');
    expect(JSON.parse(body)).toMatchObject({ type: 'journey.webhook', data: { customer: { id: 'c1' } } });
  });

  it('webhook.post retries 5xx/429 but not other 4xx', async () => {
    const input = { url: 'https://example.com/h', secretName: 'crm', eventName: 'x', timeoutMs: 5000 };
    const e503 = await setup(503)
      .handlers['webhook.post'](input, ctx)
      .catch((e: ActionError) => e);
    const e400 = await setup(400)
      .handlers['webhook.post'](input, ctx)
      .catch((e: ActionError) => e);
    expect(e503).toMatchObject({ retryable: true });
    expect(e400).toMatchObject({ retryable: false });
    const noSecret = await setup()
      .handlers['webhook.post']({ ...input, secretName: 'nope' }, ctx)
      .catch((e: unknown) => e);
    expect(noSecret).toBeInstanceOf(ActionError);
  });

  it('customer.update passes the changes through', async () => {
    const { handlers, updateCustomer } = setup();
    await handlers['customer.update']({ setAttributes: [], addTags: ['vip'], removeTags: [] }, ctx);
    expect(updateCustomer).toHaveBeenCalledWith(
      expect.objectContaining({ customerId: 'c1', addTags: ['vip'] }),
    );
  });
});
