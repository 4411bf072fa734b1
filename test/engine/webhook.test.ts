import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { encryptWorkspaceSecret } from '@hourglass/channels';
import { createWorkspaceSecret, deleteWorkspaceSecret } from '@hourglass/db';
import { graphBuilder } from '@hourglass/nodes';
import { parseAllowList } from '@hourglass/outbound';
import { Webhook } from 'svix';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EngineApi, engineApi } from './api';
import { channelsConfig, createHarness, type Harness } from './harness';

// The built-in webhook node end to end: the worker's own secret lookup (no injected `actions`) reads
// the workspace secret from the encrypted store, signs the Standard Webhooks way, and a local receiver
// verifies the signature with the svix library, as a customer's endpoint would.

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  verified: boolean;
}

let h: Harness;
let api: EngineApi;
let receiver: Server;
let url: string;
let base: string;
const received: Received[] = [];
const secret = `whsec_${randomBytes(24).toString('base64')}`;

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let verified = false;
      try {
        new Webhook(secret).verify(body, req.headers as Record<string, string>);
        verified = true;
      } catch {}
      received.push({ headers: req.headers, body, verified });
      // What a CRM might answer: JSON to map from, or something that cannot be mapped. (Time-skipping
      // moves the signature's timestamp out of svix's tolerance in later tests: these paths answer anyway.)
      const answers: Record<string, [string, string]> = {
        '/hooks/tier': ['application/json', JSON.stringify({ data: { tier: 'gold', points: 1200 } })],
        '/hooks/text': ['text/plain', 'OK'],
        '/hooks/big': ['application/json', JSON.stringify({ data: { blob: 'x'.repeat(20_000) } })],
      };
      const answer = answers[req.url ?? ''];
      if (!answer) return void res.writeHead(verified ? 204 : 401).end();
      res.writeHead(200, { 'content-type': answer[0] }).end(answer[1]);
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const port = (receiver.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}/hooks`;
  url = `${base}/hourglass`;
  const channels = { ...channelsConfig(), outbound: { allow: parseAllowList(`127.0.0.1:${port}`) } };
  h = await createHarness('engine_webhook', { timeSkipping: true, channels });
  const stored = await createWorkspaceSecret(h.db.db, h.ws.id, {
    name: 'crm-webhook',
    ciphertext: encryptWorkspaceSecret(channels.secretKey, secret),
  });
  expect(stored?.name).toBe('crm-webhook');
  api = await engineApi(h, ['read']);
});
afterAll(async () => {
  await api?.app.close();
  await h?.close();
  await new Promise((resolve) => receiver?.close(resolve));
});

/** Order placed → (optionally wait for an event) → webhook → exit. */
const webhookFlow = (secretName: string, waitFirst = false) => {
  const g = graphBuilder().node('trigger', 'trigger', {});
  if (waitFirst)
    g.node('wait', 'wait_for_event', {
      eventType: 'order.fulfilled',
      timeoutAmount: 14,
      timeoutUnit: 'days',
    });
  g.node('hook', 'webhook', { url, secretName, eventName: 'order.thanked', onFailure: 'exit' })
    .node('done', 'exit')
    .edge('trigger', waitFirst ? 'wait' : 'hook');
  if (waitFirst) g.edge('wait', 'hook', 'happened').edge('wait', 'done', 'timed_out');
  return g.edge('hook', 'done').build();
};

async function attempts(runRowId: string) {
  const { rows } = await h.db.pool.query(
    `select step_id, attempt, outcome, will_retry, error from run_step_attempts where run_id = $1 order by at, id`,
    [runRowId],
  );
  return rows;
}

describe('webhook node with a stored workspace secret', () => {
  it('POSTs a body the receiver verifies with the svix library, and the run completes', async () => {
    const j = await h.publish(webhookFlow('crm-webhook'));
    const c = await h.customer({ firstName: 'Ada' });
    const o = await h.order(c.id, { total: 42 });
    const id = await h.start(j, c.id, o.id);
    expect(await h.result(id)).toMatchObject({ status: 'completed', reason: 'exit_node' });

    expect(received).toHaveLength(1);
    expect(received[0]!.verified).toBe(true);
    expect(received[0]!.headers['webhook-signature']).toMatch(/^v1,/);
    const body = JSON.parse(received[0]!.body);
    expect(body).toMatchObject({ type: 'order.thanked', data: { customer: { id: c.id } } });
    const run = await h.waitRun(id, () => true);
    const step = (await h.steps(run.id)).find((s) => s.step_id === 'hook');
    expect(step).toMatchObject({ outcome: 'ok' });
  });

  it('a secret deleted while the run waits fails the step with webhook.no_secret, not retried', async () => {
    await createWorkspaceSecret(h.db.db, h.ws.id, {
      name: 'soon-gone',
      ciphertext: encryptWorkspaceSecret(channelsConfig().secretKey, secret),
    });
    const before = received.length;
    const j = await h.publish(webhookFlow('soon-gone', true));
    const c = await h.customer({});
    const o = await h.order(c.id, { total: 10 });
    const id = await h.start(j, c.id, o.id);
    await h.waitRun(id, (r) => r.currentStep === 'wait' && r.status === 'waiting');
    expect(await deleteWorkspaceSecret(h.db.db, h.ws.id, 'soon-gone')).toBe(true);
    await h.event(id, 'order.fulfilled', o.id);
    // The node's failure policy here is `exit`: the run ends at the failed step instead of hanging.
    expect(await h.result(id)).toMatchObject({ status: 'exited' });

    const run = await h.waitRun(id, () => true);
    const rows = (await attempts(run.id)).filter((r) => r.step_id === 'hook');
    expect(rows).toEqual([
      {
        step_id: 'hook',
        attempt: 1,
        outcome: 'failed',
        will_retry: false,
        error: expect.objectContaining({ type: 'webhook.no_secret', retryable: false }),
      },
    ]);
    expect((await h.steps(run.id)).find((s) => s.step_id === 'hook')).toMatchObject({ outcome: 'failed' });
    expect(received.length).toBe(before);
    // The timeline says why, so support does not have to read the attempts table.
    const entry = (await api.timeline(run.id)).entries.find((e) => e.nodeId === 'hook')!;
    expect(entry).toMatchObject({ outcome: 'failed', tone: 'failed' });
    expect(entry.title).toContain('Secret "soon-gone" not found');
    expect(entry.attempts.map((a) => a.text)).toEqual([
      expect.stringMatching(/Secret "soon-gone" not found; not retried \(permanent error\)$/),
    ]);
  });

  it('keeps fields of a JSON answer: a branch picks by them and the email renders them', async () => {
    const j = await h.publish(
      graphBuilder()
        .node('trigger', 'trigger', {})
        .node('crm', 'webhook', {
          url: `${base}/tier`,
          secretName: 'crm-webhook',
          responseMapping: [
            { name: 'tier', path: 'data.tier' },
            { name: 'points', path: 'data.points' },
          ],
          onFailure: 'exit',
        })
        .stepName('crm', 'crm')
        .node('split', 'branch', {
          cases: [
            {
              id: 'gold',
              label: 'Gold',
              when: { kind: 'conditions', rule: { field: 'steps.crm.tier', op: 'eq', value: 'gold' } },
            },
          ],
        })
        .node('vip', 'send_email', {
          subject: 'Hello {{ steps.crm.tier }} member',
          body: 'You have {{ steps.crm.points }} points.',
          transactional: true,
        })
        .node('done', 'exit')
        .edge('trigger', 'crm')
        .edge('crm', 'split')
        .edge('split', 'vip', 'gold')
        .edge('split', 'done', 'else')
        .edge('vip', 'done')
        .build(),
    );
    const c = await h.customer({});
    const o = await h.order(c.id, { total: 30 });
    const id = await h.start(j, c.id, o.id);
    expect(await h.result(id)).toMatchObject({ status: 'completed' });
    const sent = await h.messages(c.id);
    expect(sent.map((m) => [m.subject, m.body_text?.includes('You have 1200 points.')])).toEqual([
      ['Hello gold member', true],
    ]);
    const run = await h.waitRun(id, () => true);
    const steps = await h.steps(run.id);
    expect(steps.find((s) => s.step_id === 'crm')).toMatchObject({
      outcome: 'ok',
      output: { httpStatus: 200, tier: 'gold', points: 1200 },
    });
    expect(steps.find((s) => s.step_id === 'split')).toMatchObject({ port: 'gold' });
    const entry = (await api.timeline(run.id)).entries.find((e) => e.nodeId === 'crm')!;
    expect(entry.output).toEqual({ name: 'crm', values: { httpStatus: 200, tier: 'gold', points: 1200 } });
    const kept = entry.details.find((d) => d.startsWith('Kept as steps.crm: '));
    for (const part of ['httpStatus 200', 'tier gold', 'points 1200']) expect(kept).toContain(part);
  });

  it('fails the step for good, with its reason, on an answer that cannot be mapped', async () => {
    const cases = [
      ['text', [{ name: 'tier', path: 'data.tier' }], 'webhook.response_not_json', 'did not answer JSON'],
      ['tier', [{ name: 'level', path: 'data.level' }], 'webhook.mapping_missing', 'has no "data.level"'],
      ['big', [{ name: 'blob', path: 'data.blob' }], 'output.too_large', 'the limit is 16384'],
    ] as const;
    for (const [path, responseMapping, code, words] of cases) {
      const j = await h.publish(
        graphBuilder()
          .node('trigger', 'trigger', {})
          .node('crm', 'webhook', {
            url: `${base}/${path}`,
            secretName: 'crm-webhook',
            responseMapping,
            onFailure: 'exit',
          })
          .node('done', 'exit')
          .edge('trigger', 'crm')
          .edge('crm', 'done')
          .build(),
      );
      const c = await h.customer({});
      const id = await h.start(j, c.id, (await h.order(c.id, { total: 5 })).id);
      expect(await h.result(id), path).toMatchObject({ status: 'exited' });
      const run = await h.waitRun(id, () => true);
      expect(await attempts(run.id), path).toEqual([
        expect.objectContaining({
          step_id: 'crm',
          attempt: 1,
          outcome: 'failed',
          will_retry: false,
          error: expect.objectContaining({
            type: code,
            retryable: false,
            message: expect.stringContaining(words),
          }),
        }),
      ]);
      expect(
        (await h.steps(run.id)).find((s) => s.step_id === 'crm'),
        path,
      ).toMatchObject({ output: null });
    }
  });
});
